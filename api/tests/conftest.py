"""Open-data fixtures: a world with one of everything, public and not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import token_create
from community.exchange.tests.factories import PostFactory
from community.moderation.models import ActionKind, ModerationAction, ModerationCase
from community.tests.factories import IntermediaryFactory, OrganisationFactory, PersonaFactory
from ideas.backlog.models import BacklogIdeaLink, ItemStatus, PublicUpdate
from ideas.backlog.tests.factories import BacklogItemFactory
from ideas.codesign.models import Dot, Note, NoteGroup, Outcome, Participant, Phase, Visibility
from ideas.codesign.tests.factories import ParticipantFactory, SessionFactory
from ideas.models import Idea, Status, StatusChange
from ideas.opinion.models import BoardImpression
from ideas.opinion.tests.factories import compute_now
from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory, VoteFactory


@pytest.fixture
def api():
    return APIClient()


def hold(obj) -> None:
    """Put ``obj`` behind a pending moderation hold (what screening does)."""
    ModerationCase.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, is_hidden=True
    )


@dataclass
class World:
    agency: object
    challenge: object
    idea: object
    comment: object
    author: object  # the public persona
    secret_persona: object  # same account, never used in public
    held_idea: object
    held_comment: object
    hidden_author: object  # persona whose only contribution is held
    unpublished_idea: object
    item: object
    internal_item: object
    post: object
    hidden_post: object
    session: object  # open and finished: notes revealed, one hidden and one held
    live_session: object  # open, not finished, notes still concealed
    invited_session: object
    public_outcome: object  # became the public item
    internal_outcome: object  # became the internal item
    budget: object = None  # a finished participatory budget with ballots and results
    voter_secrets: tuple[str, ...] = ()  # voter keys and register hashes: never public


@pytest.fixture
def world(db) -> World:
    agency = OrganisationFactory(name="Transport Agency", slug="transport")
    challenge = ChallengeFactory(agency=agency, question="How might we make buses better?")
    challenge.tags.set(["buses"])
    author = PersonaFactory(display_name="Amara O", slug="amara-o")
    secret = PersonaFactory(
        account=author.account, display_name="Secret Side", slug="secret-side", is_primary=False
    )
    idea = IdeaFactory(
        challenge=challenge, persona=author, title="Benches at stops", status=Status.ACCEPTED
    )
    idea.tags.set(["seating"])
    StatusChange.objects.create(
        idea=idea, from_status=Status.SUBMITTED, to_status=Status.ACCEPTED,
        response="We will do this.", agency=agency,
    )  # fmt: skip
    VoteFactory(idea=idea, account=secret.account, persona=secret)
    # What the board showed that supporter (personal: the opinion map's "seen"), and the board's
    # stored opinion map: neither may surface anywhere public.
    BoardImpression.objects.create(user=secret.account, challenge=challenge, ideas=[idea.pk])
    compute_now("board", challenge.pk)
    Idea.objects.filter(pk=idea.pk).update(support_count=1)  # as vote_cast keeps it
    comment = CommentFactory(idea=idea, persona=author, body="More shade too.")
    hidden_author = PersonaFactory(display_name="Held Hana", slug="held-hana")
    held_idea = IdeaFactory(challenge=challenge, persona=hidden_author, title="Held idea text")
    held_idea.tags.set(["heldtag"])
    hold(held_idea)
    held_comment = CommentFactory(idea=idea, persona=hidden_author, body="Held comment text")
    hold(held_comment)
    ModerationAction.objects.create(
        action=ActionKind.HIDE, actor=hidden_author.account, reason="spam", waited=30
    )
    draft = ChallengeFactory(agency=agency, is_published=False, question="Draft challenge")
    unpublished = IdeaFactory(challenge=draft, persona=hidden_author, title="Unpublished idea")
    item = BacklogItemFactory(
        agency=agency, status=ItemStatus.IN_DELIVERY, internal_notes="internal only note",
        owner=author.account, created_by=author.account,
    )  # fmt: skip
    BacklogIdeaLink.objects.create(item=item, idea=idea)
    BacklogIdeaLink.objects.create(item=item, idea=held_idea)
    PublicUpdate.objects.create(
        item=item, status=item.status, body="Building now.", author=author.account
    )
    internal = BacklogItemFactory(agency=agency, status=ItemStatus.IN_DELIVERY, is_public=False,
                                  title="Internal item")  # fmt: skip
    group = IntermediaryFactory()
    post = PostFactory(persona=author, organisation=group, on_behalf_of="Mrs Jones next door")
    hidden_post = PostFactory(persona=hidden_author, title="Hidden post")
    hold(hidden_post)  # hidden through the one moderation mechanism
    PostFactory(
        persona=hidden_author,
        title="Expired post",
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    sessions = codesign_sessions(agency, challenge, idea, held_idea, item, internal)
    place_everything(agency)
    conversation_with_votes(agency, challenge, author, secret, hidden_author)
    budget, voter_secrets = finished_budget(agency, author, hidden_author, idea)
    research_answers_and_panel(agency, hidden_author)
    service_feedback(agency, author)
    return World(
        budget=budget, voter_secrets=voter_secrets,
        **sessions,
        agency=agency, challenge=challenge, idea=idea, comment=comment, author=author,
        secret_persona=secret, held_idea=held_idea, held_comment=held_comment,
        hidden_author=hidden_author, unpublished_idea=unpublished, item=item,
        internal_item=internal, post=post, hidden_post=hidden_post,
    )  # fmt: skip


def service_feedback(agency, author) -> None:
    """Answers about a service last month: five web answers (a shown cell, one signed in with
    a comment that must never be published) and two at the counter (a suppressed cell)."""
    from wagtail.models import Page

    from ideas.experience.models import Feedback

    page = Page.get_first_root_node()
    when = timezone.localtime().replace(day=1) - timedelta(days=10)
    for n, channel in enumerate(["web"] * 5 + ["counter"] * 2):
        Feedback.objects.create(
            service_page=page, agency=agency, channel=channel, satisfaction=1 + n % 5,
            got_what_needed=n % 2 == 0, respondent=f"api-world-{n}", day=when.date(),
            created_at=when, account=author.account if n == 0 else None,
            comment="Secret feedback comment" if n == 0 else "",
        )  # fmt: skip


def finished_budget(agency, author, hidden_author, idea):
    """A participatory budget with published results: a feasible project from an idea, a
    rejected one, one waiting for review and one hidden by moderators; a resident register;
    voters on several channels (one with an account) and their ballots, counted."""
    from community.models import Role
    from community.tests.factories import staff
    from ideas.budgeting import actions as budgeting
    from ideas.budgeting.models import (
        Ballot,
        ResidentRegisterEntry,
        ReviewState,
        VerifiedBy,
        Voter,
    )
    from ideas.budgeting.models import (
        Phase as BudgetPhase,
    )
    from ideas.budgeting.tests.factories import (
        BudgetFactory,
        ProcessFactory,
        ProjectFactory,
        set_phase,
    )

    process = ProcessFactory(agency=agency, title="Northvale budget 2026")
    budget = BudgetFactory(process=process, name="Parks", amount=100_000, max_choices=2)
    won = ProjectFactory(
        budget=budget, title="Shade trees", cost=60_000, idea=idea, proposer=author
    )
    ProjectFactory(budget=budget, title="Skate park", cost=50_000)
    ProjectFactory(
        budget=budget, title="Not feasible", cost=None, review_state=ReviewState.REJECTED,
        rejection_reason="The land is not ours.",
    )  # fmt: skip
    ProjectFactory(
        budget=budget, title="Unreviewed project text", cost=None,
        review_state=ReviewState.SUBMITTED, proposer=hidden_author,
    )  # fmt: skip
    ProjectFactory(
        budget=budget, title="Hidden project text", is_hidden=True, proposer=hidden_author
    )
    entry = ResidentRegisterEntry.objects.create(process=process, key="f" * 64, birth_year=1970)
    voters = [
        Voter.objects.create(
            process=process, key=f"reg:{entry.key}", user=author.account,
            verified_by=VerifiedBy.REGISTER,
        ),
        Voter.objects.create(
            process=process, key="phone:" + "e" * 64, user=hidden_author.account,
            verified_by=VerifiedBy.PHONE,
        ),
        Voter.objects.create(process=process, key="doc:" + "d" * 64, verified_by=VerifiedBy.COUNTER),
    ]  # fmt: skip
    clerk = staff(Role.COUNTER_STAFF, agency)
    for voter, choices, channel in zip(
        voters, ({"1": 1}, {"1": 1, "2": 1}, {"2": 1}), ("web", "sms", "paper"), strict=True
    ):
        Ballot.objects.create(
            budget=budget, voter=voter, channel=channel, choices=choices,
            entered_by=clerk if channel == "paper" else None,
            confirmed_by=staff(Role.COUNTER_STAFF, agency) if channel == "paper" else None,
        )  # fmt: skip
    set_phase(process, BudgetPhase.COUNTING)
    budgeting.results_compute(user=staff(Role.SERVICE_DESIGNER, agency), budget=budget)
    set_phase(process, BudgetPhase.RESULTS)
    assert won.pk
    return budget, (entry.key, *(v.key for v in voters), *(v.key.split(":")[1] for v in voters))


def place_everything(agency) -> None:
    """Every idea, post and session of the world in one district, so the places GeoJSON has
    rows to walk (held, hidden, unpublished and invited ones must still never appear)."""
    from community.exchange.models import Post
    from community.places.tests.factories import DistrictFactory, square
    from ideas.codesign.models import CodesignSession

    district = DistrictFactory(
        organisation=agency,
        name="Central",
        slug="central",
        boundary={"type": "Polygon", "coordinates": [square(-1.0, 53.0, -0.9, 53.1)]},
    )
    point = {"latitude": "53.05", "longitude": "-0.95", "district": district}
    for model in (Idea, Post, CodesignSession):
        model.objects.update(**point)


def research_answers_and_panel(agency, hidden_author) -> None:
    """A survey answered with free text, and a panel member invited to a recruitment: none
    of it (answers, membership, invitations) may appear in any public place."""
    from ideas.codesign.tests.factories import SessionFactory, designer
    from ideas.research import actions as research
    from ideas.research.tests.factories import make_survey

    survey = make_survey(agency=agency, title="Bus survey")
    research.survey_answer(
        survey=survey, user=hidden_author.account, respondent="hana",
        answers={"got_it": ["No"], "why_not": ["Survey secret answer"], "ease": ["2"]},
        consent=True,
    )  # fmt: skip
    research.panel_join(user=hidden_author.account, consent=True, age_band="25_34")
    research.recruitment_create(
        user=designer(agency)[0], agency=agency, title="Panel secret recruitment",
        starts_at=timezone.now() + timedelta(days=2), wanted=1,
        session=SessionFactory(agency=agency, visibility=Visibility.INVITED),
    )  # fmt: skip


def conversation_with_votes(agency, challenge, author, secret, hidden_author) -> None:
    """A conversation with a statement by a persona used nowhere else in public, a held
    statement and votes by several accounts (the Pol.is export must show none of them)."""
    from ideas.conversations.tests.factories import (
        ConversationFactory,
        StatementFactory,
        StatementVoteFactory,
    )

    conversation = ConversationFactory(agency=agency, challenge=challenge, title="Night buses")
    shown = StatementFactory(conversation=conversation, persona=author, text="Buses until 1 am")
    StatementFactory(conversation=conversation, persona=secret, text="Cheaper evening fares")
    StatementFactory(
        conversation=conversation, persona=hidden_author, text="Held statement text",
        is_hidden=True,
    )  # fmt: skip
    for account in (author.account, hidden_author.account):
        StatementVoteFactory(statement=shown, account=account, value=1)


def codesign_sessions(agency, challenge, idea, held_idea, item, internal) -> dict:
    """An open finished session (with a held note, a hidden note, a guest and a persona seen
    nowhere else), an open live one whose notes are still concealed, and an invited one."""
    now = timezone.now()
    session = SessionFactory(
        agency=agency, challenge=challenge, title="Bus stop workshop", phase=Phase.SUMMARY,
        scheduled_at=now - timedelta(days=2), started_at=now - timedelta(days=2),
        ended_at=now - timedelta(days=2) + timedelta(hours=1),
    )  # fmt: skip
    sam = ParticipantFactory(
        session=session, persona=PersonaFactory(display_name="Session Sam", slug="session-sam")
    )
    guest = Participant.objects.create(session=session, guest_name="Guest Gwen", guest_key="k1")
    what_works = session.prompts.first()
    shelter = NoteGroup.objects.create(session=session, name="Shelter", position=0)
    NoteGroup.objects.create(session=session, name="Timetables", position=1)
    Note.objects.create(
        session=session, author=sam, prompt=what_works, group=shelter, idea=idea,
        text="A roof at every stop", colour="blue",
    )  # fmt: skip
    Note.objects.create(
        session=session, author=guest, group=shelter, idea=held_idea, text="Benches too"
    )
    Note.objects.create(session=session, author=sam, text="Hidden note text", is_hidden=True)
    held = Note.objects.create(session=session, author=guest, text="Held note text")
    hold(held)
    Note.objects.filter(pk=held.pk).update(is_hidden=True)  # as the moderation hook mirrors
    Dot.objects.create(session=session, participant=sam, group=shelter)
    Dot.objects.create(session=session, participant=guest, group=shelter)
    public_outcome = Outcome.objects.create(
        session=session, group=shelter, title="Roofs first", backlog_item=item, position=0
    )
    internal_outcome = Outcome.objects.create(
        session=session, title="Ask drivers", backlog_item=internal, position=1
    )
    live = SessionFactory(
        agency=agency, title="Live workshop", phase=Phase.DIVERGE, hide_notes=True,
        started_at=now,
    )  # fmt: skip
    live_person = ParticipantFactory(session=live, persona=sam.persona, account=sam.account)
    Note.objects.create(session=live, author=live_person, text="Concealed note text")
    invited = SessionFactory(
        agency=agency, challenge=challenge, title="Invited only workshop",
        visibility=Visibility.INVITED, phase=Phase.SUMMARY, ended_at=now,
    )  # fmt: skip
    insider = ParticipantFactory(session=invited, persona=sam.persona, account=sam.account)
    Note.objects.create(session=invited, author=insider, text="Invited note text")
    return {
        "session": session,
        "live_session": live,
        "invited_session": invited,
        "public_outcome": public_outcome,
        "internal_outcome": internal_outcome,
    }


@pytest.fixture
def token_for():
    def make(persona):
        _token, raw = token_create(user=persona.account, name="Test app")
        return raw

    return make


@pytest.fixture
def news(db):
    """A published news story under a news index (cms)."""
    import datetime

    from cms.models import NewsIndexPage, NewsPage
    from cms.tests.factories import make_home

    home = make_home()
    index = home.add_child(instance=NewsIndexPage(title="You said, we did", slug="news"))
    index.save_revision().publish()
    story = index.add_child(
        instance=NewsPage(
            title="Benches are coming",
            slug="benches",
            date=datetime.date(2026, 5, 1),
            summary="You asked for benches; they are coming.",
            you_said="<p>Benches.</p>",
            we_did="<p>Ordered them.</p>",
        )
    )
    story.save_revision().publish()
    return story
