"""Services: every write on the boards, its checks, records, notifications and events."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.actions import follow
from community.models import Notification, Role
from community.selectors import followers_of
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas import actions
from ideas.models import Challenge, Comment, Idea, IdeaRevision, Status, StatusChange, Vote
from ideas.tests.factories import (
    ChallengeFactory,
    CommentFactory,
    IdeaFactory,
    citizen,
    close,
    move_to_review,
)

pytestmark = pytest.mark.django_db


# -- posting ideas --------------------------------------------------------------------------


def test_citizen_posts_an_idea_as_their_persona_and_follows_it(published):
    user, persona = citizen()
    challenge = ChallengeFactory()
    idea = actions.idea_create(
        user=user,
        challenge=challenge,
        persona=persona,
        title="  Benches at   bus stops ",
        body="Older riders need somewhere to sit.\n\nEspecially on the hospital route.",
        tags=["Buses", "accessibility", "buses"],
    )
    assert idea.persona == persona
    assert idea.title == "Benches at bus stops"
    assert sorted(idea.tags.names()) == ["accessibility", "buses"]
    assert user in followers_of(idea)
    (event_type, object_id, data), *_ = published
    assert event_type == "idea.created" and object_id == idea.pk
    assert data["title"] == "Benches at bus stops"
    assert data["persona"] == {"name": persona.display_name, "handle": persona.slug}
    assert data["support_count"] == 0


def test_posting_without_choosing_uses_the_primary_persona():
    user, persona = citizen()
    PersonaFactory(account=user, is_primary=False, display_name="Second face")
    idea = actions.idea_create(
        user=user, challenge=ChallengeFactory(), title="Title", body="Body text"
    )
    assert idea.persona == persona


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "A fine body", "title"),
        ("   ", "A fine body", "title"),
        ("x" * 141, "A fine body", "title"),
        ("<b>Shouting</b>", "A fine body", "title"),
        ("A fine title", "", "body"),
        ("A fine title", "<p></p>", "body"),
        ("A fine title", "x" * 5001, "body"),
        ("A fine title", "<script>alert('hi')</script>", "body"),
        ("A fine title", '<a href="javascript:alert(1)">click</a>', "body"),
        ("A fine title", '<img src=x onerror="alert(1)">', "body"),
        ("A fine title", "<iframe src='https://evil.example'></iframe>", "body"),
    ],
)
def test_bad_idea_input_gets_a_clear_error_on_its_field_and_nothing_is_saved(title, body, field):
    user, persona = citizen()
    with pytest.raises(ValidationError) as caught:
        actions.idea_create(
            user=user, challenge=ChallengeFactory(), persona=persona, title=title, body=body
        )
    assert field in caught.value.message_dict
    assert all(caught.value.message_dict[field])
    assert not Idea.objects.exists()


def test_light_formatting_and_links_are_allowed_in_ideas():
    user, persona = citizen()
    idea = actions.idea_create(
        user=user,
        challenge=ChallengeFactory(),
        persona=persona,
        title="Formatted",
        body='<strong>Really</strong> see <a href="https://northvale.example/buses">this</a>',
    )
    assert "<strong>" in idea.body


def test_nobody_posts_as_someone_elses_persona():
    user, _ = citizen()
    _, other_persona = citizen()
    with pytest.raises(PermissionDenied):
        actions.idea_create(
            user=user, challenge=ChallengeFactory(), persona=other_persona, title="T", body="B"
        )
    assert not Idea.objects.exists()


@pytest.mark.parametrize("phase", [move_to_review, close])
def test_no_new_ideas_once_the_idea_phase_ends(phase):
    user, persona = citizen()
    challenge = phase(ChallengeFactory())
    with pytest.raises(PermissionDenied, match="no longer taking new ideas"):
        actions.idea_create(user=user, challenge=challenge, persona=persona, title="T", body="B")


def test_anonymous_visitors_cannot_post():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.idea_create(user=AnonymousUser(), challenge=ChallengeFactory(), title="T", body="B")


# -- editing ------------------------------------------------------------------------------


def test_author_edit_keeps_the_old_text_in_history(published):
    idea = IdeaFactory(title="Old title", body="Old body")
    user = idea.persona.account
    actions.idea_update(user=user, idea=idea, title="New title", body="New body", tags=["x"])
    idea.refresh_from_db()
    assert (idea.title, idea.body) == ("New title", "New body")
    assert idea.edited_at is not None
    revision = IdeaRevision.objects.get(idea=idea)
    assert (revision.title, revision.body) == ("Old title", "Old body")
    assert published[-1][0] == "idea.updated"


def test_edit_window_closes(settings):
    settings.IDEAS = {"IDEA_EDIT_MINUTES": 30}
    idea = IdeaFactory(created_at=timezone.now() - timedelta(minutes=31))
    with pytest.raises(PermissionDenied, match="30 minutes"):
        actions.idea_update(user=idea.persona.account, idea=idea, title="New", body="New body")


def test_only_the_author_edits_an_idea():
    idea = IdeaFactory()
    with pytest.raises(PermissionDenied):
        actions.idea_update(user=UserFactory(), idea=idea, title="Hijack", body="Hijacked")


# -- support --------------------------------------------------------------------------------


def test_support_counts_once_and_publishes_the_exact_count(published):
    idea = IdeaFactory()
    first, second = UserFactory(), UserFactory()
    assert actions.vote_cast(user=first, idea=idea) == 1
    assert actions.vote_cast(user=second, idea=idea) == 2
    idea.refresh_from_db()
    assert idea.support_count == 2
    assert [(t, d) for t, _, d in published] == [
        ("idea.vote_changed", {"support_count": 1}),
        ("idea.vote_changed", {"support_count": 2}),
    ]


def test_second_support_by_the_same_account_is_refused_and_changes_nothing(published):
    idea = IdeaFactory()
    user, persona = citizen()
    second_persona = PersonaFactory(account=user, is_primary=False)
    actions.vote_cast(user=user, idea=idea, persona=persona)
    with pytest.raises(ValidationError, match="You already support this idea"):
        actions.vote_cast(user=user, idea=idea, persona=second_persona)
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1
    assert len(published) == 1


def test_withdrawing_support_lowers_the_count():
    idea = IdeaFactory()
    user = UserFactory()
    actions.vote_cast(user=user, idea=idea)
    assert actions.vote_withdraw(user=user, idea=idea) == 0
    assert not Vote.objects.exists()
    with pytest.raises(ValidationError, match="not supporting"):
        actions.vote_withdraw(user=user, idea=idea)


def test_authors_cannot_support_their_own_idea_unless_the_challenge_allows_it():
    idea = IdeaFactory()
    with pytest.raises(PermissionDenied, match="your own idea"):
        actions.vote_cast(user=idea.persona.account, idea=idea)
    idea.challenge.allow_self_support = True
    idea.challenge.save()
    assert actions.vote_cast(user=idea.persona.account, idea=idea) == 1


def test_support_continues_in_review_but_stops_when_closed():
    idea = IdeaFactory()
    move_to_review(idea.challenge)
    assert actions.vote_cast(user=UserFactory(), idea=idea) == 1
    close(idea.challenge)
    with pytest.raises(PermissionDenied, match="closed"):
        actions.vote_cast(user=UserFactory(), idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 1


# -- comments -------------------------------------------------------------------------------


def test_comment_notifies_the_author_and_publishes_with_the_count(published):
    idea = IdeaFactory()
    user, persona = citizen()
    comment = actions.comment_create(user=user, idea=idea, persona=persona, body="Love it")
    idea.refresh_from_db()
    assert idea.comment_count == 1
    note = Notification.objects.get(recipient=idea.persona.account)
    assert persona.display_name in note.title
    assert note.url.endswith(f"#comment-{comment.pk}")
    event_type, _, data = published[-1]
    assert event_type == "comment.created"
    assert data["comment_count"] == 1
    assert data["comment"]["body_html"] == "<p>Love it</p>"
    assert data["comment"]["persona"]["name"] == persona.display_name


def test_reply_notifies_the_comment_author_once_and_the_idea_author():
    idea = IdeaFactory()
    first = CommentFactory(idea=idea)
    user, persona = citizen()
    actions.comment_create(user=user, idea=idea, persona=persona, body="Agreed", parent=first)
    assert (
        Notification.objects.filter(
            recipient=first.persona.account, category="ideas.comment_reply"
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=idea.persona.account, category="ideas.comment"
        ).count()
        == 1
    )


def test_author_replying_on_their_own_idea_is_not_notified_about_it():
    idea = IdeaFactory()
    first = CommentFactory(idea=idea)
    actions.comment_create(
        user=idea.persona.account, idea=idea, persona=idea.persona, body="Thanks!", parent=first
    )
    assert not Notification.objects.filter(recipient=idea.persona.account).exists()
    assert Notification.objects.filter(recipient=first.persona.account).count() == 1


def test_threads_are_one_level_deep():
    idea = IdeaFactory()
    top = CommentFactory(idea=idea)
    reply = CommentFactory(idea=idea, parent=top)
    user, persona = citizen()
    with pytest.raises(ValidationError, match="original comment"):
        actions.comment_create(user=user, idea=idea, persona=persona, body="Hi", parent=reply)
    with pytest.raises(ValidationError, match="different idea"):
        actions.comment_create(
            user=user,
            idea=IdeaFactory(challenge=idea.challenge),
            persona=persona,
            body="Hi",
            parent=top,
        )
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, "<script>steal()</script>"])
def test_bad_comments_are_refused(body):
    idea = IdeaFactory()
    user, persona = citizen()
    with pytest.raises(ValidationError):
        actions.comment_create(user=user, idea=idea, persona=persona, body=body)
    assert not Comment.objects.exists()
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def test_comments_are_editable_only_briefly(settings):
    settings.IDEAS = {"COMMENT_EDIT_MINUTES": 10}
    comment = CommentFactory()
    actions.comment_update(user=comment.persona.account, comment=comment, body="Fixed typo")
    comment.refresh_from_db()
    assert comment.body == "Fixed typo" and comment.edited_at
    comment.created_at = timezone.now() - timedelta(minutes=11)
    with pytest.raises(PermissionDenied, match="10 minutes"):
        actions.comment_update(user=comment.persona.account, comment=comment, body="Too late")
    with pytest.raises(PermissionDenied):
        actions.comment_update(user=UserFactory(), comment=CommentFactory(), body="Not mine")


# -- status changes with an official response ---------------------------------------------


def test_status_change_needs_a_response_and_notifies_author_and_followers(published):
    idea = IdeaFactory()
    designer = staff(Role.SERVICE_DESIGNER, idea.challenge.agency)
    follower = UserFactory()
    follow(user=follower, target=idea)
    follow(user=idea.persona.account, target=idea)
    with pytest.raises(ValidationError) as caught:
        actions.idea_set_status(user=designer, idea=idea, status=Status.ACCEPTED, response=" ")
    assert "response" in caught.value.message_dict
    change = actions.idea_set_status(
        user=designer, idea=idea, status=Status.ACCEPTED, response="We will pilot this in May."
    )
    idea.refresh_from_db()
    assert idea.status == Status.ACCEPTED
    assert (change.from_status, change.to_status) == (Status.SUBMITTED, Status.ACCEPTED)
    assert change.agency == idea.challenge.agency
    author_notes = Notification.objects.filter(recipient=idea.persona.account)
    assert author_notes.count() == 1 and "Your idea" in author_notes.get().title
    assert Notification.objects.filter(recipient=follower).count() == 1
    assert not Notification.objects.filter(recipient=designer).exists()
    event_type, object_id, data = published[-1]
    assert (event_type, object_id, data["status"]) == ("idea.status_changed", idea.pk, "accepted")
    assert data["response_html"] == "<p>We will pilot this in May.</p>"


def test_status_cannot_go_back_to_submitted_or_repeat():
    idea = IdeaFactory(status=Status.UNDER_REVIEW)
    designer = staff(Role.SERVICE_DESIGNER, idea.challenge.agency)
    with pytest.raises(ValidationError):
        actions.idea_set_status(user=designer, idea=idea, status=Status.SUBMITTED, response="No")
    with pytest.raises(ValidationError, match="already has"):
        actions.idea_set_status(user=designer, idea=idea, status=Status.UNDER_REVIEW, response="x")
    with pytest.raises(ValidationError):
        actions.idea_set_status(user=designer, idea=idea, status="made_up", response="x")
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("role", [None, Role.MODERATOR, Role.EDITOR])
def test_only_designers_and_admins_of_the_agency_respond(role):
    idea = IdeaFactory()
    user = staff(role, idea.challenge.agency) if role else UserFactory()
    with pytest.raises(PermissionDenied):
        actions.idea_set_status(user=user, idea=idea, status=Status.ACCEPTED, response="Yes")
    other_agency_designer = staff(Role.SERVICE_DESIGNER)
    with pytest.raises(PermissionDenied):
        actions.idea_set_status(
            user=other_agency_designer, idea=idea, status=Status.ACCEPTED, response="Yes"
        )


# -- merging duplicates --------------------------------------------------------------------


def test_merge_moves_support_without_double_counting_and_moves_followers(published):
    survivor = IdeaFactory()
    duplicate = IdeaFactory(challenge=survivor.challenge)
    both, only_dup, only_survivor = UserFactory(), UserFactory(), UserFactory()
    for user, idea in [
        (both, survivor),
        (both, duplicate),
        (only_dup, duplicate),
        (only_survivor, survivor),
    ]:
        actions.vote_cast(user=user, idea=idea)
    follower = UserFactory()
    follow(user=follower, target=duplicate)
    comment = CommentFactory(idea=duplicate)
    moderator = staff(Role.MODERATOR, survivor.challenge.agency)

    actions.idea_merge(user=moderator, duplicate=duplicate, survivor=survivor)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.support_count == 3
    assert Vote.objects.filter(idea=survivor).count() == 3
    assert set(Vote.objects.filter(idea=survivor).values_list("account", flat=True)) == {
        both.pk,
        only_dup.pk,
        only_survivor.pk,
    }
    assert duplicate.merged_into == survivor and duplicate.support_count == 0
    assert follower in followers_of(survivor)
    assert follower not in followers_of(duplicate)
    assert Comment.objects.get(pk=comment.pk).idea == survivor
    assert survivor.comment_count == 1
    assert Notification.objects.filter(recipient=follower, category="ideas.merged").exists()
    event_type, object_id, data = published[-1]
    assert (event_type, object_id) == ("idea.merged", duplicate.pk)
    assert data["into"] == survivor.pk and data["support_count"] == 3


def test_merged_duplicates_refuse_support_and_earlier_merges_follow_the_survivor():
    a = IdeaFactory()
    b = IdeaFactory(challenge=a.challenge)
    c = IdeaFactory(challenge=a.challenge)
    admin = staff(Role.AGENCY_ADMIN, a.challenge.agency)
    actions.idea_merge(user=admin, duplicate=c, survivor=b)
    actions.idea_merge(user=admin, duplicate=b, survivor=a)
    assert Idea.objects.get(pk=c.pk).merged_into_id == a.pk
    with pytest.raises(PermissionDenied, match="merged"):
        actions.vote_cast(user=UserFactory(), idea=b)


def test_merge_refuses_bad_targets_and_citizens():
    a = IdeaFactory()
    other_board = IdeaFactory()
    admin = staff(Role.AGENCY_ADMIN, a.challenge.agency)
    with pytest.raises(ValidationError):
        actions.idea_merge(user=admin, duplicate=a, survivor=a)
    with pytest.raises(ValidationError, match="one challenge"):
        actions.idea_merge(user=admin, duplicate=a, survivor=other_board)
    with pytest.raises(PermissionDenied):
        actions.idea_merge(
            user=UserFactory(), duplicate=a, survivor=IdeaFactory(challenge=a.challenge)
        )
    assert not Idea.objects.filter(merged_into__isnull=False).exists()


# -- challenges -----------------------------------------------------------------------------


def test_designer_poses_a_challenge_for_their_agency_only():
    designer = staff(Role.SERVICE_DESIGNER)
    agency = designer.memberships.get().organisation
    now = timezone.now()
    dates = {
        "opens_at": now,
        "ideas_close_at": now + timedelta(days=7),
        "closes_at": now + timedelta(days=14),
    }
    challenge = actions.challenge_create(
        user=designer,
        agency=agency,
        question="How might we plant more street trees?",
        tags=["Parks"],
        **dates,
    )
    assert challenge.agency == agency and challenge.slug
    with pytest.raises(ValidationError):
        actions.challenge_create(
            user=designer,
            agency=agency,
            question="How might we?",
            **{**dates, "closes_at": now + timedelta(days=1)},
        )
    other = ChallengeFactory().agency
    with pytest.raises(PermissionDenied):
        actions.challenge_create(user=designer, agency=other, question="Q?", **dates)
    with pytest.raises(PermissionDenied):
        actions.challenge_create(user=UserFactory(), agency=agency, question="Q?", **dates)


def test_a_challenge_question_is_cleaned_like_every_title_and_errors_name_the_question():
    designer = staff(Role.SERVICE_DESIGNER)
    agency = designer.memberships.get().organisation
    now = timezone.now()
    dates = {
        "opens_at": now,
        "ideas_close_at": now + timedelta(days=7),
        "closes_at": now + timedelta(days=14),
    }
    before = Challenge.objects.count()
    for question, message in (
        ("  \t ", "Fill in “Question”: a few words are enough."),
        ("How <i>might</i> we?", "“Question” is plain text: remove the HTML."),
        ("H" * 201, "Keep “Question” to at most 200 characters (it has 201)."),
    ):
        with pytest.raises(ValidationError) as caught:
            actions.challenge_create(user=designer, agency=agency, question=question, **dates)
        assert caught.value.message_dict == {"question": [message]}
    assert Challenge.objects.count() == before
    challenge = actions.challenge_create(
        user=designer, agency=agency, question="How might we\x00 fix\nbins?", **dates
    )
    assert challenge.question == "How might we fix bins?"
