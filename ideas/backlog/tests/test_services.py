"""Backlog actions: promotion, transitions and permissions, history, closing the loop."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import actions as community_actions
from community.models import Notification, Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas import actions as idea_actions
from ideas.backlog import actions
from ideas.backlog.models import BacklogHistory, BacklogItem, ItemStatus, PublicUpdate
from ideas.backlog.tests.factories import BacklogItemFactory, accepted_idea, designer
from ideas.models import Status, StatusChange
from ideas.tests.factories import CommentFactory, IdeaFactory, VoteFactory, citizen

pytestmark = pytest.mark.django_db

S = ItemStatus


@pytest.fixture
def agency():
    return OrganisationFactory()


@pytest.fixture
def designer_user(agency):
    return designer(agency)


def _walk(user, item, *statuses, message=""):
    for status in statuses:
        item = actions.item_transition(user=user, item=item, status=status, message=message)
    return item


def test_promoting_an_accepted_idea_creates_an_item_and_moves_the_idea_to_in_backlog(
    agency, designer_user
):
    idea = accepted_idea(agency)
    item = actions.promote_idea(user=designer_user, idea=idea, message="We will look at it.")
    idea.refresh_from_db()
    assert item.agency == agency and item.title == idea.title and item.problem == idea.body
    assert list(item.ideas.all()) == [idea]
    assert idea.status == Status.IN_BACKLOG
    change = idea.status_changes.get()
    assert change.response == "We will look at it." and change.changed_by == designer_user
    assert item.history.filter(field="created", actor=designer_user, via="promotion").exists()


def test_only_accepted_ideas_are_promoted_and_only_once(agency, designer_user):
    submitted = IdeaFactory(challenge=accepted_idea(agency).challenge)
    with pytest.raises(ValidationError, match="Only accepted ideas"):
        actions.promote_idea(user=designer_user, idea=submitted)
    idea = accepted_idea(agency)
    actions.promote_idea(user=designer_user, idea=idea)
    idea.status = Status.ACCEPTED  # even if someone reset it, the link remains
    with pytest.raises(ValidationError, match="already in the backlog"):
        actions.promote_idea(user=designer_user, idea=idea)
    assert BacklogItem.objects.count() == 1


def test_staff_of_another_agency_and_moderators_cannot_promote(agency):
    idea = accepted_idea(agency)
    for user in (designer(OrganisationFactory()), staff(Role.MODERATOR, agency), UserFactory()):
        with pytest.raises(PermissionDenied):
            actions.promote_idea(user=user, idea=idea)
    assert not BacklogItem.objects.exists()


def test_agency_admins_may_shape_the_backlog(agency):
    admin = staff(Role.AGENCY_ADMIN, agency)
    item = actions.item_create(user=admin, agency=agency, title="Screens", problem="No info.")
    assert actions.item_transition(user=admin, item=item, status=S.TRIAGED).status == S.TRIAGED


def test_the_idea_follows_its_item_to_implemented_and_to_not_taken_forward(agency, designer_user):
    first, second = accepted_idea(agency), accepted_idea(agency)
    done = actions.promote_idea(user=designer_user, idea=first)
    _walk(designer_user, done, S.TRIAGED, S.IN_DISCOVERY, S.IN_DELIVERY, S.DONE)
    dropped = actions.promote_idea(user=designer_user, idea=second)
    actions.item_transition(
        user=designer_user, item=dropped, status=S.WONT_DO, message="The law does not allow it."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.IMPLEMENTED
    assert second.status == Status.NOT_TAKEN_FORWARD
    assert second.status_changes.first().response == "The law does not allow it."
    dropped.refresh_from_db()
    assert dropped.public_reason == "The law does not allow it."


def test_transitions_follow_the_table(agency, designer_user):
    item = BacklogItemFactory(agency=agency)
    with pytest.raises(ValidationError, match="cannot move from New to Done"):
        actions.item_transition(user=designer_user, item=item, status=S.DONE)
    with pytest.raises(ValidationError, match="already has that status"):
        actions.item_transition(user=designer_user, item=item, status=S.NEW)
    with pytest.raises(ValidationError, match="listed statuses"):
        actions.item_transition(user=designer_user, item=item, status="shipped")
    item.refresh_from_db()
    assert item.status == S.NEW and not item.history.exists()


def test_wont_do_and_moving_back_need_a_public_reason(agency, designer_user):
    item = BacklogItemFactory(agency=agency)
    with pytest.raises(ValidationError, match="why this will not go ahead"):
        actions.item_transition(user=designer_user, item=item, status=S.WONT_DO)
    item = _walk(designer_user, item, S.TRIAGED, S.IN_DELIVERY, S.DONE)
    with pytest.raises(ValidationError, match="back needs a public reason"):
        actions.item_transition(user=designer_user, item=item, status=S.NEW)
    item = actions.item_transition(
        user=designer_user, item=item, status=S.NEW, message="Reopened: the fix did not hold."
    )
    assert item.status == S.NEW
    assert PublicUpdate.objects.get(item=item).body == "Reopened: the fix did not hold."


def test_moderators_and_other_agencies_cannot_move_items(agency):
    item = BacklogItemFactory(agency=agency)
    for user in (staff(Role.MODERATOR, agency), designer(OrganisationFactory())):
        with pytest.raises(PermissionDenied):
            actions.item_transition(user=user, item=item, status=S.TRIAGED)


def test_every_change_is_recorded_with_who_when_and_what(agency, designer_user):
    item = actions.item_create(
        user=designer_user, agency=agency, title="Screens", problem="No info.", reach=4
    )
    actions.item_update(user=designer_user, item=item, reach=8, internal_notes="Ask finance.")
    actions.item_transition(user=designer_user, item=item, status=S.TRIAGED)
    rows = {
        (h.field, h.old_value, h.new_value)
        for h in BacklogHistory.objects.filter(item=item, actor=designer_user)
    }
    assert ("reach", "4", "8") in rows
    assert ("internal_notes", "", "Ask finance.") in rows
    assert ("status", "new", "triaged") in rows
    assert ("created", "", "Screens") in rows


def test_score_is_reach_times_impact_times_confidence_over_effort(agency, designer_user):
    item = actions.item_create(
        user=designer_user,
        agency=agency,
        title="T",
        problem="P",
        reach=8,
        impact=5,
        confidence=6,
        effort=3,
    )
    assert str(item.score) == "80.0"
    with pytest.raises(ValidationError) as error:
        actions.item_update(user=designer_user, item=item, effort=0, target_quarter="Q3")
    assert set(error.value.message_dict) == {"effort", "target_quarter"}


def test_a_new_item_with_several_bad_fields_names_each_and_saves_nothing(agency, designer_user):
    with pytest.raises(ValidationError) as error:
        actions.item_create(
            user=designer_user,
            agency=agency,
            title="  \x00 ",
            problem="P",
            target_quarter="next spring",
            reach=11,
        )
    errors = error.value.message_dict
    assert errors["title"] == ["Fill in “Title”: a few words are enough."]
    assert set(errors) == {"title", "target_quarter", "reach"}
    assert not BacklogItem.objects.filter(agency=agency).exists()


def test_a_public_status_change_notifies_each_participant_exactly_once(agency, designer_user):
    """Someone who posted, supported, commented on and followed both source ideas hears once."""
    everywhere, persona = citizen()
    supporter, _ = citizen()
    first = accepted_idea(agency, persona=persona)
    second = accepted_idea(agency)
    for idea in (first, second):
        VoteFactory(idea=idea, account=everywhere)
        CommentFactory(idea=idea, persona=persona)
        community_actions.follow(user=everywhere, target=idea)
    second_persona_owner = second.persona.account
    VoteFactory(idea=second, account=supporter)
    follower = UserFactory()
    community_actions.follow(user=follower, target=first)
    item = actions.item_create(
        user=designer_user,
        agency=agency,
        title="Screens",
        problem="No info.",
        ideas=[first, second],
        is_public=True,
    )
    Notification.objects.all().delete()
    actions.item_transition(
        user=designer_user, item=item, status=S.TRIAGED, message="We are looking into it."
    )
    notes = Notification.objects.filter(category="backlog.status")
    recipients = sorted(n.recipient_id for n in notes)
    assert recipients == sorted([everywhere.pk, supporter.pk, follower.pk, second_persona_owner.pk])
    assert all(n.body == "We are looking into it." for n in notes)
    assert not Notification.objects.filter(category="ideas.status").exists()


def test_internal_items_tell_nobody(agency, designer_user):
    idea = accepted_idea(agency)
    item = actions.promote_idea(user=designer_user, idea=idea, is_public=False)
    actions.item_transition(user=designer_user, item=item, status=S.TRIAGED)
    assert not Notification.objects.filter(category="backlog.status").exists()


def test_promotion_of_a_public_item_tells_participants_once(agency, designer_user):
    author, persona = citizen()
    idea = accepted_idea(agency, persona=persona)
    community_actions.follow(user=author, target=idea)
    actions.promote_idea(user=designer_user, idea=idea)
    assert Notification.objects.filter(recipient=author).count() == 1


def test_bulk_change_moves_all_with_one_message_and_one_notification_per_person(
    agency, designer_user
):
    voter = UserFactory()
    items = []
    for _ in range(3):
        idea = accepted_idea(agency)
        VoteFactory(idea=idea, account=voter)
        items.append(actions.promote_idea(user=designer_user, idea=idea))
    Notification.objects.all().delete()
    moved = actions.item_bulk_transition(
        user=designer_user,
        agency=agency,
        item_ids=[i.pk for i in items],
        status=S.TRIAGED,
        message="Triaged at the March review.",
    )
    assert {i.status for i in moved} == {S.TRIAGED}
    assert PublicUpdate.objects.filter(body="Triaged at the March review.").count() == 3
    assert Notification.objects.filter(recipient=voter).count() == 1


def test_bulk_change_is_all_or_nothing(agency, designer_user):
    ok = BacklogItemFactory(agency=agency)
    done = BacklogItemFactory(agency=agency, status=S.DONE)
    with pytest.raises(ValidationError, match="cannot move"):
        actions.item_bulk_transition(
            user=designer_user, agency=agency, item_ids=[ok.pk, done.pk], status=S.TRIAGED
        )
    ok.refresh_from_db()
    assert ok.status == S.NEW
    other = BacklogItemFactory()
    with pytest.raises(ValidationError, match="not in this backlog"):
        actions.item_bulk_transition(
            user=designer_user, agency=agency, item_ids=[other.pk], status=S.TRIAGED
        )


def test_ideas_from_another_agency_cannot_be_linked(agency, designer_user):
    foreign = accepted_idea(OrganisationFactory())
    with pytest.raises(ValidationError, match="another agency"):
        actions.item_create(
            user=designer_user, agency=agency, title="T", problem="P", ideas=[foreign]
        )


def test_idea_set_status_still_notifies_through_the_ideas_app(agency, designer_user):
    author, persona = citizen()
    idea = IdeaFactory(challenge=accepted_idea(agency).challenge, persona=persona)
    idea_actions.idea_set_status(
        user=designer_user, idea=idea, status=Status.ACCEPTED, response="Yes."
    )
    assert Notification.objects.filter(recipient=author, category="ideas.status").count() == 1
    assert StatusChange.objects.filter(idea=idea).count() == 1


def test_fan_out_queries_do_not_grow_with_participants(
    agency, designer_user, django_assert_max_num_queries
):
    def item_with(supporters):
        idea = accepted_idea(agency)
        for _ in range(supporters):
            VoteFactory(idea=idea)
        return actions.promote_idea(user=designer_user, idea=idea)

    small, large = item_with(2), item_with(12)
    with django_assert_max_num_queries(60) as few:
        actions.item_transition(user=designer_user, item=small, status=S.TRIAGED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        actions.item_transition(user=designer_user, item=large, status=S.TRIAGED)
    # supporters and the author of each idea: told once on promotion, once on the move
    assert Notification.objects.filter(category="backlog.status").count() == 2 * (3 + 13)
