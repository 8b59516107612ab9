"""Who may open every route and websocket stream: one table, every role.

HOW TO READ AND EXTEND THIS FILE
================================
Every HTTP route is found by walking the URL resolver (tests/routes.py). A route that is in
neither ``ROUTES`` nor ``THIRD_PARTY`` fails ``test_every_route_is_in_the_matrix`` with a
message naming it: add a row when you add a route.

A row is ``"route key": [Case(...), …]`` (the key is ``namespace:name``, or the pattern for an
unnamed route). Each ``Case`` gives:

* ``args``: a function of the test world ``w`` returning the URL's keyword arguments, e.g.
  ``lambda w: {"pk": w.idea.pk}``; build the objects your route needs in ``World`` below.
* ``get`` / ``post``: an 8-character expectation, one character per role, in this order::

      A  anonymous            C  citizen (owns the idea, persona, post, conversation…)
      O  other citizen        X  moderator of another agency
      M  moderator (agency A)  D  service designer (agency A)
      E  editor (agency A)    G  agency admin (agency A)

  ``+`` allowed (any answer but a refusal), ``-`` refused (403/404/401, a redirect carrying
  an error message, or sent to sign in while signed in), ``L`` sent to sign in (anonymous).
  Leave ``get``/``post`` as None for a method the route does not take. POSTs send
  ``data(w)`` (empty by default): give a valid form where an empty one would be refused with
  an error message even for allowed roles, so the row tests permission, not validation.
* ``name``: a label when one route has several cases (a draft, someone else's object).

Routes from apps built later (co-design ``/sessions/``, insight dashboard, ``/api/v1/``, SMS
webhook) get rows the same way; websocket streams go in ``SOCKETS`` (same role order; ``+``
connected, ``-`` closed with 4403/4404).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from community.models import Role
from community.roles import sync_role_groups
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory
from tests.routes import all_routes

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "citizen",
    "other_citizen",
    "moderator_elsewhere",
    "moderator",
    "designer",
    "editor",
    "agency_admin",
)
ALL = "++++++++"
SIGNED_IN = "L+++++++"
OWNER_ONLY = "L+------"
ASSIST = "L------+"  # service counter staff, volunteers, and agency admins (can_assist)
AGENCY_STAFF = "L---++++"
FACILITATORS = "L----+-+"  # the agency's service designers and admins


@dataclass
class Case:
    args: Callable[[World], dict] = lambda w: {}
    get: str | None = None
    post: str | None = None
    name: str = ""
    data: Callable[[World], dict] = lambda w: {}  # the form sent with POST


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):  # objects are attributes, set in build_world()
        raise AttributeError(name)


def _member(role: str, organisation):
    from community.tests.factories import MembershipFactory

    user = UserFactory()
    PersonaFactory(account=user)
    MembershipFactory(user=user, organisation=organisation, role=role)
    sync_role_groups(user)
    return user


def build_world() -> World:
    from community.exchange import actions as exchange_actions
    from community.exchange.models import Block
    from community.exchange.tests.factories import ExchangeFactory, MessageFactory, PostFactory
    from community.models import Notification
    from community.moderation import actions as moderation
    from community.moderation.models import Appeal, ModerationCase
    from ideas import actions as idea_actions
    from ideas.backlog.tests.factories import BacklogItemFactory
    from ideas.models import Comment
    from ideas.tests.factories import ChallengeFactory, IdeaFactory

    w = World()
    agency, elsewhere = OrganisationFactory(), OrganisationFactory()
    citizen = PersonaFactory().account
    w.users = {
        "anonymous": None,
        "citizen": citizen,
        "other_citizen": PersonaFactory().account,
        "moderator_elsewhere": _member(Role.MODERATOR, elsewhere),
        "moderator": _member(Role.MODERATOR, agency),
        "designer": _member(Role.SERVICE_DESIGNER, agency),
        "editor": _member(Role.EDITOR, agency),
        "agency_admin": _member(Role.AGENCY_ADMIN, agency),
    }
    w.agency = agency
    w.persona = citizen.personas.get()
    w.challenge = ChallengeFactory(agency=agency)
    w.draft_challenge = ChallengeFactory(agency=agency, is_published=False)
    w.idea = IdeaFactory(challenge=w.challenge, persona=w.persona)
    w.comment = Comment.objects.create(idea=w.idea, persona=w.persona, body="Yes")
    # An idea every signed-in role supports, so each may withdraw their own support.
    w.supported = IdeaFactory(challenge=w.challenge)
    for user in w.users.values():
        if user is not None:
            idea_actions.vote_cast(user=user, idea=w.supported)
    w.item = BacklogItemFactory(agency=agency, is_public=False)
    w.public_item = BacklogItemFactory(agency=agency, is_public=True, status="in_delivery")
    w.post = PostFactory(persona=w.persona)
    stranger = PersonaFactory()
    w.stranger = stranger
    w.exchange = ExchangeFactory(post=w.post, responder=stranger)
    w.message = MessageFactory(exchange=w.exchange)
    exchange_actions.exchange_propose(user=stranger.account, exchange=w.exchange, hours="1")
    w.agreed = ExchangeFactory(post=PostFactory(persona=w.persona), responder=stranger)
    exchange_actions.exchange_propose(user=stranger.account, exchange=w.agreed, hours="1")
    exchange_actions.exchange_accept(user=citizen, exchange=w.agreed)
    w.block = Block.objects.create(blocker=citizen, blocked=PersonaFactory().account)
    w.notification = Notification.objects.create(
        recipient=citizen, category="ideas", title="Hello", url="/ideas/"
    )
    w.credit_account = exchange_actions.account_for_user(citizen)
    moderation.report_create(user=w.users["other_citizen"], obj=w.idea, reason="spam")
    w.case = ModerationCase.objects.get()
    w.action = moderation.case_decide(
        moderator=w.users["moderator"],
        case=w.case,
        version=w.case.version,
        action="hide",
        reason="spam",
    )
    w.appeal = Appeal.objects.create(action=w.action, appellant=citizen, text="Please look again")
    w.old = timezone.now() - timedelta(days=1)
    _codesign_world(w)
    _conversation_world(w)
    _budget_world(w)
    _outreach_world(w)
    _research_world(w)
    _experience_world(w)
    from api import services as api_services
    from community.sms.models import PhoneNumber

    w.token, _raw = api_services.token_create(user=citizen, name="My app")
    w.reply = Comment.objects.create(idea=w.supported, persona=w.persona, body="Agreed")
    PhoneNumber.objects.create(user=citizen, number="+447700900123", verified_at=timezone.now())
    return w


def _outreach_world(w: World) -> None:
    """A campaign page on a service of agency A, and the citizen's unsubscribe link."""
    from cms.models import CampaignPage
    from cms.tests.factories import make_home, make_index, make_service
    from community.outreach.categories import CAMPAIGNS
    from community.outreach.links import unsubscribe_token

    home = make_home()
    service = make_service(make_index(home), agency=w.agency)
    page = home.add_child(
        instance=CampaignPage(
            title="Free buses", slug="free-buses", hero_title="Free", service=service
        )
    )
    page.save_revision().publish()
    w.campaign_page = page
    w.unsubscribe = unsubscribe_token(w.users["citizen"].pk, CAMPAIGNS)


def _codesign_world(w: World) -> None:
    """Co-design sessions of agency A: an open one taking notes (the citizen has joined), an
    invited one (the citizen has joined), an invited one that has ended, and an outcome."""
    from ideas.codesign.models import Outcome, Participant, Phase, Visibility
    from ideas.codesign.tests.factories import SessionFactory

    w.session = SessionFactory(agency=w.agency, phase=Phase.DIVERGE, allow_guests=True)
    w.invited = SessionFactory(agency=w.agency, phase=Phase.DIVERGE, visibility=Visibility.INVITED)
    w.ended = SessionFactory(agency=w.agency, phase=Phase.SUMMARY, visibility=Visibility.INVITED)
    for session in (w.session, w.invited, w.ended):
        Participant.objects.create(session=session, persona=w.persona, account=w.persona.account)
    w.outcome = Outcome.objects.create(session=w.ended, title="Clearer timetables")


def _research_world(w: World) -> None:
    """A survey of agency A with one answer, and a recruitment for agency A's open session
    by its designer that invited the citizen (the only panel member)."""
    from ideas.research import actions as research
    from ideas.research.tests.factories import make_survey

    w.survey = make_survey(agency=w.agency)
    research.survey_answer(
        survey=w.survey,
        user=None,
        respondent="someone",
        answers={"got_it": ["Yes"], "ease": ["4"]},
        consent=True,
    )
    research.panel_join(user=w.users["citizen"], consent=True, age_band="25_34")
    w.recruitment = research.recruitment_create(
        user=w.users["designer"],
        agency=w.agency,
        title="Try the new timetable",
        starts_at=timezone.now() + timedelta(days=3),
        wanted=1,
        session=w.session,
    )
    w.invitation_token = research.invitation_url(w.recruitment.invitations.get()).split("/")[-2]


def _experience_world(w: World) -> None:
    """A live service of agency A with two similar comments (so a theme to promote)."""
    from ideas.experience import services
    from ideas.experience.models import Theme
    from ideas.experience.tests.factories import service_page

    w.service = service_page(w.agency)
    for n, text in enumerate(["The form is long and confusing", "Confusing and long form"]):
        services.feedback_submit(
            service_page_id=w.service.pk, channel="web", satisfaction=2, got_what_needed=False,
            respondent=f"matrix-{n}", comment=text,
        )  # fmt: skip
    w.theme = Theme.objects.get()


def _budget_world(w: World) -> None:
    """Participatory budgets of agency A: one voting (the citizen is a verified voter; a paper
    ballot waits for a second member of staff), one in review (two submitted projects), one
    counted but not published, one with published results."""
    from ideas.budgeting.actions import paper_ballot_enter
    from ideas.budgeting.models import ReviewState
    from ideas.budgeting.tests import webfactories as pb

    w.pb = pb.process("voting", agency=w.agency)
    w.pb_budget = pb.budget(w.pb)
    w.pb_project = pb.project(w.pb_budget, title="Benches")
    pb.project(w.pb_budget, title="Lights")
    pb.voter(w.pb, user=w.users["citizen"])
    clerk = _member(Role.COUNTER_STAFF, w.agency)
    w.pb_paper = paper_ballot_enter(
        staff=clerk, budget=w.pb_budget, voter=pb.voter(w.pb), choices={"1": 1}
    )
    w.pb_review = pb.process("review", agency=w.agency)
    review_budget = pb.budget(w.pb_review)
    w.pb_submitted = pb.project(review_budget, cost=None, title="Skate park")
    w.pb_duplicate = pb.project(review_budget, cost=None, title="A skate park")
    assert w.pb_submitted.review_state == ReviewState.SUBMITTED
    w.pb_counting = pb.process("counting", agency=w.agency)
    w.pb_counting_budget = pb.budget(w.pb_counting)
    pb.project(w.pb_counting_budget)
    pb.voters_with_ballots(w.pb_counting_budget, [[1]])
    pb.counted(w.pb_counting_budget)
    w.pb_done = pb.process("results", agency=w.agency)
    w.pb_done_budget = pb.budget(w.pb_done)
    pb.project(w.pb_done_budget)
    pb.voters_with_ballots(w.pb_done_budget, [[1]])
    pb.counted(w.pb_done_budget)


def _conversation_world(w: World) -> None:
    """An open conversation on agency A's challenge with a computed map (three planted
    groups, so some statement is consensus) and one that has not opened yet."""
    from ideas.conversations import opinion
    from ideas.conversations.demo import compute_now, plant
    from ideas.conversations.tests.factories import ConversationFactory, StatementFactory

    w.conversation = ConversationFactory(agency=w.agency, challenge=w.challenge)
    statements = [StatementFactory(conversation=w.conversation) for _ in range(9)]
    plant(w.conversation, statements, (8, 8, 8), density=1.0, seed=2)
    compute_now(w.conversation.pk)
    consensus = opinion.consensus_ids(w.conversation.pk)
    w.consensus = next(s for s in statements if s.pk in consensus)
    w.statement = statements[0]
    w.upcoming = ConversationFactory(agency=w.agency, opens_at=timezone.now() + timedelta(days=3))


ROUTES: dict[str, list[Case]] = {
    "healthz": [Case(get=ALL)],
    "set_language": [Case(post=ALL)],
    "sitemap": [Case(get=ALL)],
    "wagtail_serve": [Case(args=lambda w: {"_0": ""}, get=ALL)],
    # The services index (the test world has one, under the service experience's service):
    # public.
    "cms:services": [Case(get=ALL)],
    # -- community: accounts, personas, privacy, notifications ----------------------------
    "community:account": [Case(get=SIGNED_IN)],
    "community:personas": [Case(get=SIGNED_IN)],
    "community:persona_edit": [
        Case(args=lambda w: {"slug": w.persona.slug}, get=OWNER_ONLY, post=OWNER_ONLY)
    ],
    "community:persona_make_primary": [
        Case(args=lambda w: {"slug": w.persona.slug}, post=OWNER_ONLY)
    ],
    "community:privacy": [Case(get=SIGNED_IN)],
    "community:consents_update": [Case(post=SIGNED_IN)],
    # Exports are always of the signed-in account: no one can ask for someone else's.
    "community:export_json": [Case(get=SIGNED_IN)],
    "community:contributions_csv": [Case(get=SIGNED_IN)],
    "community:account_delete": [Case(get=SIGNED_IN)],
    "community:notifications": [Case(get=SIGNED_IN)],
    "community:notification_open": [
        Case(args=lambda w: {"pk": w.notification.pk}, post=OWNER_ONLY)
    ],
    "community:notifications_read_all": [Case(post=SIGNED_IN)],
    "community:notification_preferences": [Case(get=SIGNED_IN)],
    "community:following": [Case(get=SIGNED_IN)],
    "community:follow": [
        Case(post=SIGNED_IN, data=lambda w: {"target_type": "ideas.idea", "target_id": w.idea.pk})
    ],
    "community:persona_detail": [Case(args=lambda w: {"slug": w.persona.slug}, get=ALL)],
    # -- service exchange ---------------------------------------------------------------
    "exchange:list": [Case(get=ALL)],
    "exchange:map": [Case(get=ALL)],
    # -- places (community/places): the city-wide map is public; it shows public items only.
    "places:map": [Case(get=ALL)],
    # Acting on a citizen's behalf: service counter staff and volunteers of an organisation
    # and agency admins (community.permissions.can_assist); moderators, designers and
    # editors may not.
    "exchange:assist_request": [Case(get=ASSIST, post=ASSIST)],
    "exchange:post_create": [Case(get=SIGNED_IN, post=SIGNED_IN)],
    "exchange:safety": [Case(get=ALL)],
    "exchange:stats": [Case(get=ALL)],
    "exchange:post": [Case(args=lambda w: {"pk": w.post.pk}, get=ALL)],
    "exchange:respond": [Case(args=lambda w: {"pk": w.post.pk}, get=SIGNED_IN)],
    "exchange:post_close": [Case(args=lambda w: {"pk": w.post.pk}, post=OWNER_ONLY)],
    "exchange:mine": [Case(get=SIGNED_IN)],
    # Private conversations: only the two sides, never other citizens or staff.
    "exchange:conversation": [
        Case(args=lambda w: {"pk": w.exchange.pk}, get=OWNER_ONLY, post=OWNER_ONLY)
    ],
    "exchange:propose": [Case(args=lambda w: {"pk": w.exchange.pk}, post=OWNER_ONLY)],
    # The responder proposed hours in the world, so the post's owner may accept.
    "exchange:accept": [Case(args=lambda w: {"pk": w.exchange.pk}, post=OWNER_ONLY)],
    "exchange:confirm_done": [Case(args=lambda w: {"pk": w.agreed.pk}, post=OWNER_ONLY)],
    "exchange:cancel": [Case(args=lambda w: {"pk": w.exchange.pk}, post=OWNER_ONLY)],
    "exchange:thanks": [Case(args=lambda w: {"pk": w.exchange.pk}, post=OWNER_ONLY)],
    "exchange:share_contact": [Case(args=lambda w: {"pk": w.exchange.pk}, post=OWNER_ONLY)],
    "exchange:block": [Case(args=lambda w: {"slug": w.stranger.slug}, get=SIGNED_IN)],
    "exchange:blocks": [Case(get=SIGNED_IN)],
    "exchange:unblock": [Case(args=lambda w: {"pk": w.block.pk}, post=OWNER_ONLY)],
    "exchange:credits": [Case(get=SIGNED_IN)],
    "exchange:account": [Case(args=lambda w: {"pk": w.credit_account.pk}, get=OWNER_ONLY)],
    "exchange:adjust": [Case(get="L-------", post="L-------")],
    # -- idea boards --------------------------------------------------------------------
    "ideas:challenge_list": [Case(get=ALL)],
    # Assisted digital: as exchange:assist_request.
    "ideas:assist_idea": [Case(get=ASSIST, post=ASSIST)],
    "ideas:assist_support": [Case(get=ASSIST, post=ASSIST)],
    "ideas:challenge_create": [Case(get="L----+-+")],
    "ideas:board": [
        Case(args=lambda w: {"pk": w.challenge.pk}, get=ALL),
        # Drafts: only those who run challenges for the agency (designers, agency admins).
        Case(name="draft", args=lambda w: {"pk": w.draft_challenge.pk}, get="-----+-+"),
    ],
    "ideas:board_map": [
        Case(args=lambda w: {"pk": w.challenge.pk}, get=ALL),
        Case(name="draft", args=lambda w: {"pk": w.draft_challenge.pk}, get="-----+-+"),
    ],
    "ideas:idea_create": [
        Case(args=lambda w: {"pk": w.challenge.pk}, get=SIGNED_IN),
        Case(name="draft", args=lambda w: {"pk": w.draft_challenge.pk}, get="-----+-+"),
    ],
    "ideas:similar": [Case(args=lambda w: {"pk": w.challenge.pk}, get=ALL)],
    "ideas:idea_detail": [Case(args=lambda w: {"pk": w.idea.pk}, get=ALL)],
    # Only the author edits (moderators edit through a decision); others are sent back.
    "ideas:idea_edit": [Case(args=lambda w: {"pk": w.idea.pk}, get="-+------")],
    # Everyone signed in but the author (no one supports their own idea).
    "ideas:idea_support": [Case(args=lambda w: {"pk": w.idea.pk}, post="L-++++++")],
    "ideas:idea_withdraw": [Case(args=lambda w: {"pk": w.supported.pk}, post=SIGNED_IN)],
    "ideas:idea_follow": [Case(args=lambda w: {"pk": w.idea.pk}, post=SIGNED_IN)],
    "ideas:comment_create": [Case(args=lambda w: {"pk": w.idea.pk}, post=SIGNED_IN)],
    # Official responses and status: the agency's designers and admins (moderators hide).
    "ideas:idea_status": [Case(args=lambda w: {"pk": w.idea.pk}, post="L----+-+")],
    "ideas:idea_merge": [Case(args=lambda w: {"pk": w.idea.pk}, post="L---++-+")],
    "ideas:comment_edit": [Case(args=lambda w: {"pk": w.comment.pk}, get="-+------")],
    # -- moderation ---------------------------------------------------------------------
    "moderation:queue": [Case(get="L--++--+")],
    "moderation:case": [Case(args=lambda w: {"pk": w.case.pk}, get="L---+--+")],
    "moderation:reveal": [
        Case(args=lambda w: {"pk": w.case.pk}, post="L---+--+", data=lambda w: {"reason": "x"})
    ],
    "moderation:report": [
        Case(args=lambda w: {"label": "ideas.idea", "pk": w.idea.pk}, get=SIGNED_IN)
    ],
    "moderation:my_actions": [Case(get=SIGNED_IN)],
    "moderation:appeal": [Case(args=lambda w: {"pk": w.action.pk}, get=OWNER_ONLY)],
    "moderation:appeals": [Case(get="L--++--+")],
    # The moderator who decided may not judge the appeal: another one (here the admin) must.
    "moderation:appeal_decide": [
        Case(args=lambda w: {"pk": w.appeal.pk}, post="L------+", data=lambda w: {"grant": "0"})
    ],
    "moderation:transparency": [Case(get=ALL)],
    # -- the site search: public, read-only ---------------------------------------------
    "search:results": [Case(get=ALL)],
    # -- backlogs (staff) and the public roadmap ----------------------------------------
    "backlog:index": [Case(get="L--+++++")],
    "backlog:item": [Case(args=lambda w: {"pk": w.item.pk}, get="L---++++")],
    "backlog:item_move": [
        Case(
            args=lambda w: {"pk": w.item.pk},
            post="L----+-+",
            data=lambda w: {"status": _next_status(w), "message": "x"},
        )
    ],
    "backlog:promote": [Case(args=lambda w: {"idea_pk": w.idea.pk}, get="L----+-+")],
    # Signed by the agency's tracker; no browser session of any role gets through.
    "backlog:inbound": [Case(args=lambda w: {"slug": w.agency.slug}, post="--------")],
    "backlog:board": [Case(args=lambda w: {"slug": w.agency.slug}, get="L---++++")],
    "backlog:item_create": [Case(args=lambda w: {"slug": w.agency.slug}, get="L----+-+")],
    "backlog:bulk_move": [
        Case(
            args=lambda w: {"slug": w.agency.slug},
            post="L----+-+",
            data=lambda w: {"items": [w.item.pk], "status": _next_status(w), "message": "x"},
        )
    ],
    # The export holds what the read-only board shows: any staff of the agency.
    "backlog:export": [Case(args=lambda w: {"slug": w.agency.slug}, get="L---++++")],
    "backlog:integrations": [Case(args=lambda w: {"slug": w.agency.slug}, get="L------+")],
    "roadmap:index": [Case(get=ALL)],
    "roadmap:feed": [Case(get=ALL)],
    "roadmap:item": [
        Case(args=lambda w: {"pk": w.public_item.pk}, get=ALL),
        Case(name="internal item", args=lambda w: {"pk": w.item.pk}, get="--------"),
    ],
    "roadmap:agency": [Case(args=lambda w: {"slug": w.agency.slug}, get=ALL)],
    "roadmap:agency_feed": [Case(args=lambda w: {"slug": w.agency.slug}, get=ALL)],
    # -- co-design sessions (ideas/codesign/permissions.py) -------------------------------
    # The world's sessions are agency A's; the citizen has joined each of them.
    "codesign:session_list": [Case(get=ALL)],
    "codesign:session_create": [
        Case(args=lambda w: {"agency": w.agency.slug}, get=FACILITATORS, post=FACILITATORS)
    ],
    "codesign:join_by_code": [Case(get=ALL)],
    # The join page is the invitation itself: whoever holds the code may open it (and, for
    # an open session that allows guests, join by name without an account).
    "codesign:join": [
        Case(args=lambda w: {"code": w.session.code}, get=ALL),
        Case(name="invited", args=lambda w: {"code": w.invited.code}, get=ALL),
    ],
    "codesign:session": [
        Case(args=lambda w: {"pk": w.session.pk}, get=ALL),
        # Invited: its participants and the agency's staff, never strangers or other agencies.
        Case(name="invited", args=lambda w: {"pk": w.invited.pk}, get="-+--++++"),
    ],
    # Board controls without JavaScript. Notes: joined participants only (the citizen).
    "codesign:act": [
        Case(
            args=lambda w: {"pk": w.session.pk},
            post="-+------",
            data=lambda w: {"action": "note_add", "text": "Bigger timetables at stops"},
        ),
        # Facilitating (phases, lock, reveal, timer): the agency's designers and admins.
        Case(
            name="facilitate",
            args=lambda w: {"pk": w.session.pk},
            post=FACILITATORS.replace("L", "-"),
            data=lambda w: {"action": "timer_start", "seconds": "300", "version": _version(w)},
        ),
        Case(
            name="invited stranger",
            args=lambda w: {"pk": w.invited.pk},
            post="-+------",
            data=lambda w: {"action": "note_add", "text": "Bigger timetables at stops"},
        ),
    ],
    # Summaries: before the end only the facilitators; after it, invited sessions' summaries
    # go to participants and the agency's staff (open sessions' to everyone).
    "codesign:summary": [
        Case(args=lambda w: {"pk": w.session.pk}, get="-----+-+"),
        Case(name="ended invited", args=lambda w: {"pk": w.ended.pk}, get="-+--++++"),
    ],
    "codesign:export_md": [
        Case(args=lambda w: {"pk": w.session.pk}, get="-----+-+"),
        Case(name="ended invited", args=lambda w: {"pk": w.ended.pk}, get="-+--++++"),
    ],
    "codesign:export_csv": [
        Case(args=lambda w: {"pk": w.session.pk}, get="-----+-+"),
        Case(name="ended invited", args=lambda w: {"pk": w.ended.pk}, get="-+--++++"),
    ],
    # The first facilitator in the order (the designer) promotes the ended session's outcome;
    # the agency admin is then told it is already in the backlog, so shows as refused.
    "codesign:outcome_promote": [Case(args=lambda w: {"pk": w.outcome.pk}, post="L----+--")],
    # -- surveys and the research panel (ideas/research/permissions.py) ---------------------
    # The panel page is every signed-in person's own; results are for agency A's staff;
    # recruitment for its designers and admins (others get 404: no hint a request exists).
    "research:panel": [Case(get=SIGNED_IN, post=SIGNED_IN)],
    "research:panel_leave": [Case(post=SIGNED_IN)],
    "research:survey_list": [Case(get=SIGNED_IN)],
    "research:survey_results": [Case(args=lambda w: {"pk": w.survey.pk}, get=AGENCY_STAFF)],
    "research:survey_results_csv": [Case(args=lambda w: {"pk": w.survey.pk}, get=AGENCY_STAFF)],
    "research:recruitment_list": [Case(get=FACILITATORS)],
    "research:recruitment_create": [
        Case(args=lambda w: {"agency": w.agency.slug}, get=FACILITATORS, post=FACILITATORS)
    ],
    "research:recruitment": [Case(args=lambda w: {"pk": w.recruitment.pk}, get=FACILITATORS)],
    # The signed link is the authority (no sign-in): whoever holds it may open and answer it.
    # An empty POST is answered "Choose yes or no" and changes nothing.
    "research:invitation": [Case(args=lambda w: {"token": w.invitation_token}, get=ALL, post=ALL)],
    # -- conversations (ideas/conversations/permissions.py) ---------------------------------
    "conversations:create": [
        Case(args=lambda w: {"agency": w.agency.slug}, get=FACILITATORS, post=FACILITATORS)
    ],
    "conversations:detail": [
        Case(args=lambda w: {"pk": w.conversation.pk}, get=ALL),
        Case(name="not open yet", args=lambda w: {"pk": w.upcoming.pk}, get="-----+-+"),
    ],
    "conversations:report": [
        Case(args=lambda w: {"pk": w.conversation.pk}, get=ALL),
        Case(name="not open yet", args=lambda w: {"pk": w.upcoming.pk}, get="-----+-+"),
    ],
    "conversations:vote": [
        Case(
            args=lambda w: {"pk": w.conversation.pk},
            post=SIGNED_IN,
            data=lambda w: {"statement": w.statement.pk, "choice": "agree"},
        )
    ],
    "conversations:statement_add": [
        Case(
            args=lambda w: {"pk": w.conversation.pk},
            post=SIGNED_IN,
            data=lambda w: {"text": "Buses should be free on Sundays"},
        )
    ],
    # The designer closes first; the agency admin is then told it is already closed.
    "conversations:close": [Case(args=lambda w: {"pk": w.conversation.pk}, post="L----+--")],
    # The designer promotes first; the agency admin is then told it is already in the backlog.
    "conversations:promote": [Case(args=lambda w: {"pk": w.consensus.pk}, post="L----+--")],
    # -- participatory budgets (ideas/budgeting/permissions.py) -------------------------------
    "budgeting:process_list": [Case(get=ALL)],
    "budgeting:process": [
        Case(args=lambda w: {"slug": w.pb.slug}, get=ALL),
        Case(name="results", args=lambda w: {"slug": w.pb_done.slug}, get=ALL),
    ],
    # Outside proposals the form is replaced by the reason (200), so every account "gets" it.
    "budgeting:propose": [Case(args=lambda w: {"slug": w.pb.slug}, get=SIGNED_IN)],
    "budgeting:verify": [Case(args=lambda w: {"slug": w.pb.slug}, get=SIGNED_IN)],
    "budgeting:project": [
        Case(args=lambda w: {"slug": w.pb.slug, "number": w.pb_project.number}, get=ALL),
        # Waiting for review: its proposer (none here) and the agency's designers only.
        Case(
            name="submitted",
            args=lambda w: {"slug": w.pb_review.slug, "number": w.pb_submitted.number},
            get=FACILITATORS.replace("L", "-"),
        ),
    ],
    "budgeting:budget": [Case(args=lambda w: {"slug": w.pb.slug, "pk": w.pb_budget.pk}, get=ALL)],
    # Any account may try; who is eligible is the action's answer on the page (see
    # ideas/budgeting/tests/test_views_forms.py), never a role.
    "budgeting:ballot": [
        Case(
            args=lambda w: {"slug": w.pb.slug, "pk": w.pb_budget.pk},
            get=SIGNED_IN,
            post=SIGNED_IN,
            data=lambda w: {"projects": ["1"]},
        )
    ],
    "budgeting:ballot_saved": [
        Case(args=lambda w: {"slug": w.pb.slug, "pk": w.pb_budget.pk}, get=SIGNED_IN)
    ],
    "budgeting:results": [
        Case(args=lambda w: {"slug": w.pb_done.slug, "pk": w.pb_done_budget.pk}, get=ALL),
        Case(
            name="not published",
            args=lambda w: {"slug": w.pb_counting.slug, "pk": w.pb_counting_budget.pk},
            get="-----+-+",
        ),
    ],
    # The designer delivers first; the agency admin is then told it is already delivered.
    "budgeting:deliver": [
        Case(args=lambda w: {"slug": w.pb_done.slug, "pk": w.pb_done_budget.pk}, post="L----+--")
    ],
    "budgeting:review": [Case(args=lambda w: {"slug": w.pb_review.slug}, get=FACILITATORS)],
    "budgeting:project_review": [
        Case(
            args=lambda w: {"slug": w.pb_review.slug, "number": w.pb_submitted.number},
            get=FACILITATORS,
        )
    ],
    # Merging into the same project again is accepted (nothing changes), so both may.
    "budgeting:project_merge": [
        Case(
            args=lambda w: {"slug": w.pb_review.slug, "number": w.pb_duplicate.number},
            post=FACILITATORS,
            data=lambda w: {"into": w.pb_submitted.pk},
        )
    ],
    # The designer closes voting first; the agency admin is then told it is not open.
    "budgeting:close_voting": [Case(args=lambda w: {"slug": w.pb.slug}, post="L----+--")],
    "budgeting:count": [
        Case(
            args=lambda w: {"slug": w.pb_counting.slug, "pk": w.pb_counting_budget.pk},
            post=FACILITATORS,
        )
    ],
    # The designer publishes first; the agency admin is then told counting is over.
    "budgeting:publish": [Case(args=lambda w: {"slug": w.pb_counting.slug}, post="L----+--")],
    # The counter: service counter staff (here the agency admin, who holds every staff role).
    "budgeting:counter": [Case(args=lambda w: {"slug": w.pb.slug}, get=ASSIST)],
    "budgeting:counter_verify": [Case(args=lambda w: {"slug": w.pb.slug}, post=ASSIST)],
    "budgeting:paper_enter": [Case(args=lambda w: {"slug": w.pb.slug}, post=ASSIST)],
    "budgeting:paper_confirm": [
        Case(
            args=lambda w: {"slug": w.pb.slug, "pk": w.pb_paper.pk},
            post=ASSIST,
            data=lambda w: {"choices_text": "1"},
        )
    ],
    # -- citizen insight (ideas/insight/permissions.py): agency A's staff only -------------
    # The index lists the agencies whose insight the visitor may see: staff of any agency.
    "insight:index": [Case(get="L--+++++")],
    "insight:dashboard": [Case(args=lambda w: {"slug": w.agency.slug}, get=AGENCY_STAFF)],
    "insight:export": [
        Case(args=lambda w: {"slug": w.agency.slug, "table": "tags"}, get=AGENCY_STAFF)
    ],
    "insight:opinion_map": [Case(args=lambda w: {"pk": w.challenge.pk}, get=AGENCY_STAFF)],
    # -- service experience (ideas/experience/permissions.py) --------------------------------
    # Anyone may answer about a live service; staff of its agency read figures and comments;
    # counter staff (and agency admins) record answers; designers turn themes into challenges.
    "experience:feedback": [
        Case(
            args=lambda w: {"page_id": w.service.pk},
            get=ALL,
            post=ALL,
            data=lambda w: {"got_what_needed": "yes", "satisfaction": "4"},
        )
    ],
    "experience:index": [Case(get="L--+++++")],
    "experience:dashboard": [Case(args=lambda w: {"slug": w.agency.slug}, get=AGENCY_STAFF)],
    "experience:export": [
        Case(args=lambda w: {"slug": w.agency.slug, "table": "channels"}, get=AGENCY_STAFF)
    ],
    "experience:comments": [Case(args=lambda w: {"page_id": w.service.pk}, get=AGENCY_STAFF)],
    "experience:theme": [
        Case(
            args=lambda w: {"pk": w.theme.pk},
            get=AGENCY_STAFF,
            post=FACILITATORS,
            data=lambda w: {"question": "How might we make the form shorter?"},
        )
    ],
    "experience:counter": [
        Case(
            get=ASSIST,
            post=ASSIST,
            data=lambda w: {"service": w.service.pk, "got_what_needed": "no", "satisfaction": "2"},
        )
    ],
    "experience:follow_up": [
        Case(post=ASSIST, data=lambda w: {"service": w.service.pk, "citizen_email": "x@y.example"})
    ],
    # -- opinion maps (ideas/opinion/sources.py): the source's may_view ----------------------
    # A board's map: as its insight page, agency A's staff only.
    "opinion:map_partial": [
        Case(args=lambda w: {"kind": "board", "subject_id": w.challenge.pk}, get=AGENCY_STAFF)
    ],
    # -- open data: /api/v1/ (read-only to all; writes need a personal token, never a
    # browser session), /data/, feeds, personal API tokens ----------------------------------
    "api:api-root": [Case(get=ALL)],
    "api:conversation-list": [Case(get=ALL)],
    "api:conversation-detail": [Case(args=lambda w: {"pk": w.conversation.pk}, get=ALL)],
    "api:conversation-polis": [
        Case(args=lambda w: {"pk": w.conversation.pk, "name": "participants-votes"}, get=ALL)
    ],
    "api:schema": [Case(get=ALL)],
    "api:docs": [Case(get=ALL)],
    "api/v1/^(?P<rest>.*)$": [Case(args=lambda w: {"rest": "nothing-here/"}, get="--------")],
    "api:agency-list": [Case(get=ALL)],
    "api:agency-detail": [Case(args=lambda w: {"pk": w.agency.pk}, get=ALL)],
    "api:challenge-list": [Case(get=ALL)],
    "api:challenge-detail": [
        Case(args=lambda w: {"pk": w.challenge.pk}, get=ALL),
        Case(name="draft", args=lambda w: {"pk": w.draft_challenge.pk}, get="--------"),
    ],
    "api:idea-list": [Case(get=ALL, post="--------")],
    "api:idea-detail": [
        Case(args=lambda w: {"pk": w.supported.pk}, get=ALL),
        # Hidden by a moderator in the world: gone from the open data for everyone.
        Case(name="hidden", args=lambda w: {"pk": w.idea.pk}, get="--------"),
    ],
    "api:idea-support": [Case(args=lambda w: {"pk": w.supported.pk}, post="--------")],
    "api:comment-list": [Case(get=ALL, post="--------")],
    "api:comment-detail": [
        Case(args=lambda w: {"pk": w.reply.pk}, get=ALL),
        Case(name="on a hidden idea", args=lambda w: {"pk": w.comment.pk}, get="--------"),
    ],
    "api:response-list": [Case(get=ALL)],
    "api:response-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:backlog-item-list": [Case(get=ALL)],
    "api:backlog-item-detail": [
        Case(args=lambda w: {"pk": w.public_item.pk}, get=ALL),
        Case(name="internal item", args=lambda w: {"pk": w.item.pk}, get="--------"),
    ],
    "api:backlog-update-list": [Case(get=ALL)],
    "api:backlog-update-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:exchange-post-list": [Case(get=ALL)],
    "api:exchange-post-detail": [Case(args=lambda w: {"pk": w.post.pk}, get=ALL)],
    "api:tag-list": [Case(get=ALL)],
    "api:tag-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:transparency-list": [Case(get=ALL)],
    "api:service-feedback-month-list": [Case(get=ALL)],
    # Participatory budgets (api/budgeting.py): open data, read-only for everyone; the
    # budgeting actions' own refusals are tested in ideas/budgeting/tests.
    "api:budget-process-list": [Case(get=ALL)],
    "api:budget-process-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:budget-list": [Case(get=ALL)],
    "api:budget-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:budget-pabulib": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:budget-project-list": [Case(get=ALL)],
    "api:budget-project-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:budget-result-list": [Case(get=ALL)],
    "api:budget-result-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:budget-ballot-list": [Case(get=ALL)],
    "api:budget-ballot-detail": [Case(args=lambda w: {"pk": 999999}, get="--------")],
    "api:place-list": [Case(get=ALL)],
    "api:district-list": [Case(get=ALL)],
    "api:search-list": [Case(get=ALL)],
    "api:session-summary-list": [Case(get=ALL)],
    "api:session-summary-detail": [
        Case(args=lambda w: {"pk": w.session.pk}, get=ALL),
        # Invited sessions are never open data, not even for their own participants.
        Case(name="invited", args=lambda w: {"pk": w.invited.pk}, get="--------"),
        Case(name="ended invited", args=lambda w: {"pk": w.ended.pk}, get="--------"),
    ],
    "open_data:index": [Case(get=ALL)],
    "open_data:download": [Case(get=ALL)],
    "open_data:challenge_feed": [
        Case(args=lambda w: {"pk": w.challenge.pk}, get=ALL),
        Case(name="draft", args=lambda w: {"pk": w.draft_challenge.pk}, get="--------"),
    ],
    "open_data:status_feed": [Case(get=ALL)],
    "open_data:news_feed": [Case(get=ALL)],
    # A person's tokens are their own: the page lists only the signed-in account's tokens.
    "open_data:tokens": [Case(get=SIGNED_IN)],
    "open_data:token_revoke": [Case(args=lambda w: {"pk": w.token.pk}, post=OWNER_ONLY)],
    # -- SMS -----------------------------------------------------------------------------
    # Signed by the SMS provider; no browser session of any role gets through unsigned.
    "sms:inbound": [Case(post="--------")],
    "sms:phone": [Case(get=SIGNED_IN)],
    "sms:phone_verify": [Case(post=SIGNED_IN)],
    # Only the signed-in account's own number: the citizen has one; the others are told to
    # add a number first.
    "sms:phone_preferences": [Case(post=OWNER_ONLY, data=lambda w: {"notify_by_text": "1"})],
    "sms:phone_remove": [Case(post=SIGNED_IN)],
    # The development phone: tests run with DEBUG off, as production does, so nobody gets it.
    "sms_dev:phone": [Case(get="--------", post="--------")],
    "community:segments_update": [Case(post=SIGNED_IN)],
    # -- outreach ------------------------------------------------------------------------
    # Public: the calendar of public sessions and deadlines; a session's .ics as its page.
    "outreach:calendar": [Case(get=ALL)],
    "codesign:calendar": [
        Case(args=lambda w: {"pk": w.session.pk}, get=ALL),
        Case(name="invited", args=lambda w: {"pk": w.invited.pk}, get="-+--++++"),
    ],
    # Signed links from emails: anyone holding the link (no sign-in). A bad token changes
    # nothing and is answered 400 (community/outreach/tests/test_campaigns.py).
    "outreach:unsubscribe": [Case(args=lambda w: {"token": w.unsubscribe}, get=ALL, post=ALL)],
    "outreach:opened": [Case(args=lambda w: {"token": "unknown"}, get=ALL)],
    "outreach:click": [Case(args=lambda w: {"signed": "forged"}, get=ALL)],
    # The list of campaign pages to send: editors (any agency; each sees only their own).
    "cms:campaigns": [Case(get="L-----++")],
    # Sending a campaign page: the agency's editors and admins only.
    "cms:campaign_send": [
        Case(
            args=lambda w: {"page_id": w.campaign_page.pk},
            get="L-----++",
            post="L-----++",
            data=lambda w: {"by_email": "on"},
        )
    ],
}

# Routes served by libraries, each proven by one representative URL of the group (or a
# reason why it needs none here).
THIRD_PARTY: dict[str, tuple[str | None, str, str]] = {
    # prefix: (representative GET URL, expectation, why)
    "admin/": ("/admin/", "L-----++", "Wagtail admin: editors and agency admins only"),
    "django-admin/": ("/django-admin/", "L-------", "Django admin: superusers only"),
    "accounts/": ("/accounts/login/", ALL, "allauth sign-in, sign-up, email, MFA"),
    "api/v2/": ("/api/v2/pages/", ALL, "read-only open page data"),
    "documents/": (None, "", "Wagtail documents: collection privacy is Wagtail's"),
    "_util/": (None, "", "Wagtail page privacy forms (password/login to a private page)"),
    "^media/": (None, "", "user uploads, served only with DEBUG on"),
}


def _version(world: World) -> int:
    """The open session's current version (an earlier role's allowed write bumps it)."""
    from ideas.codesign.models import CodesignSession

    return CodesignSession.objects.get(pk=world.session.pk).version


def _next_status(world: World) -> str:
    """A forward move that is valid from the internal item's current status."""
    from ideas.backlog.models import BacklogItem

    order = ["new", "triaged", "in_discovery", "in_delivery", "done"]
    current = BacklogItem.objects.get(pk=world.item.pk).status
    return order[min(order.index(current) + 1, len(order) - 1)]


# The project's own URL namespaces: their routes need rows even under a library's prefix
# (``accounts/phone/``, ``accounts/api-tokens/``, ``accounts/privacy/segments/``).
PROJECT_NAMESPACES = {
    "api",
    "backlog",
    "cms",
    "codesign",
    "community",
    "exchange",
    "experience",
    "ideas",
    "insight",
    "moderation",
    "open_data",
    "opinion",
    "outreach",
    "roadmap",
    "sms",
}


def _third_party(route) -> str | None:
    if route.key.split(":")[0] in PROJECT_NAMESPACES:
        return None
    return next((p for p in THIRD_PARTY if route.pattern.startswith(p)), None)


def test_every_route_is_in_the_matrix():
    missing = sorted(
        {r.key for r in all_routes() if r.key not in ROUTES and _third_party(r) is None}
    )
    assert not missing, (
        f"Routes without an authorisation row: {missing}. Add each to ROUTES in "
        "tests/test_authorisation_matrix.py with who may GET/POST it (see the top of the file)."
    )
    stale = set(ROUTES) - {r.key for r in all_routes()}
    assert not stale, f"ROUTES has rows for routes that no longer exist: {stale}"


def _error_message(response) -> bool:
    """Did the view refuse by redirecting with an error message (messages cookie)?"""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    cookie = response.cookies.get("messages")
    if cookie is None or not cookie.value:
        return False
    stored = CookieStorage(HttpRequest())._decode(cookie.value) or []
    return any(message.level >= constants.ERROR for message in stored)


def _outcome(response) -> str:
    status = response.status_code
    if status in (401, 403, 404):
        return "-"
    if status in (301, 302) and "login" in response.get("Location", ""):
        return "L"
    if status == 405:
        return "405"
    if status in (301, 302) and _error_message(response):
        return "-"
    return "+"


def _observe(world: World, url: str, method: str, data: Callable | None = None) -> str:
    seen = []
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        # The form is built per role: an earlier role's allowed write may change the state.
        response = client.post(url, data(world)) if method == "post" else client.get(url)
        outcome = _outcome(response)
        if outcome == "L" and user is not None:
            outcome = "-"  # signed in but sent to sign in: refused
        seen.append(outcome)
    return "".join(seen)


def _cases():
    for key, cases in ROUTES.items():
        for case in cases:
            for method in ("get", "post"):
                if getattr(case, method) is not None:
                    label = f"{method.upper()} {key}" + (f" ({case.name})" if case.name else "")
                    yield pytest.param(key, case, method, id=label)


@pytest.mark.parametrize(("key", "case", "method"), list(_cases()))
def test_route_answers_each_role_as_the_matrix_says(key, case, method):
    world = build_world()
    route = next(r for r in all_routes() if r.key == key)
    url = route.sample_url(**case.args(world))
    expected = getattr(case, method)
    observed = _observe(world, url, method, case.data)
    assert observed == expected, (
        f"{method.upper()} {url} ({key}): expected {expected}, saw {observed} "
        f"for roles {', '.join(ROLES)}"
    )


@pytest.mark.skipif(
    not os.environ.get("AUTHZ_MATRIX_PRINT"), reason="set AUTHZ_MATRIX_PRINT=1 to print"
)
def test_print_what_each_role_gets(capsys):
    """A drafting aid, not a proof: prints what every role gets on every row today, so a new
    row can be written down and then checked by hand against what *should* happen."""
    world = build_world()
    routes = {r.key: r for r in all_routes()}
    lines = []
    for key, cases in ROUTES.items():
        for case in cases:
            url = routes[key].sample_url(**case.args(world))
            for method in ("get", "post"):
                if getattr(case, method) is not None:
                    seen = _observe(world, url, method, case.data)
                    mark = "" if seen == getattr(case, method) else "   <-- differs"
                    lines.append(f"{method.upper():4} {key} {case.name}: {seen}{mark}")
    with capsys.disabled():
        print("\n".join(lines))


@pytest.mark.parametrize("prefix", [p for p, (url, _, _) in THIRD_PARTY.items() if url])
def test_library_routes_answer_each_role_as_the_matrix_says(prefix):
    url, expected, _ = THIRD_PARTY[prefix]
    world = build_world()
    assert _observe(world, url, "get") == expected


# -- websockets ------------------------------------------------------------------------

SOCKETS: dict[str, tuple[Callable[[World], str], str]] = {
    "ws/health/": (lambda w: "/ws/health/", ALL),
    "ws/notifications/": (lambda w: "/ws/notifications/", "-+++++++"),
    "ws/exchange/<int:exchange_id>/": (lambda w: f"/ws/exchange/{w.exchange.pk}/", "-+------"),
    "ws/boards/<int:challenge_id>/": (lambda w: f"/ws/boards/{w.challenge.pk}/", ALL),
    "ws/backlog/<int:agency_id>/": (lambda w: f"/ws/backlog/{w.agency.pk}/", "----++++"),
    # Open session: anyone may watch (actions still need joining, see test_realtime_limits).
    "ws/sessions/<int:session_id>/": (lambda w: f"/ws/sessions/{w.session.pk}/", ALL),
    # The agency's insight dashboard: its staff only, as the HTTP page.
    "ws/insight/<int:agency_id>/": (lambda w: f"/ws/insight/{w.agency.pk}/", "----++++"),
    # The agency's service dashboard: its staff only, as the HTTP page.
    "ws/experience/<int:agency_id>/": (lambda w: f"/ws/experience/{w.agency.pk}/", "----++++"),
    # A board's live opinion map: as its page, the agency's staff only.
    "ws/opinion/<slug:kind>/<int:subject_id>/": (
        lambda w: f"/ws/opinion/board/{w.challenge.pk}/",
        "----++++",
    ),
    # A budget's live turnout: public like its page (counts below 5 suppressed).
    "ws/budgets/<int:budget_id>/turnout/": (
        lambda w: f"/ws/budgets/{w.pb_budget.pk}/turnout/",
        ALL,
    ),
}
# Invited session: its participants and the agency's staff, as the HTTP page.
INVITED_SESSION_SOCKET = "-+--++++"
DRAFT_BOARD_SOCKET = "-----+-+"  # as the HTTP draft board


def test_every_websocket_route_is_in_the_matrix():
    from realtime.routing import websocket_urlpatterns

    paths = {str(p.pattern) for p in websocket_urlpatterns}
    assert paths <= set(SOCKETS), (
        f"Websocket routes without a row: {paths - set(SOCKETS)}; add them to SOCKETS."
    )


async def _connects(path: str, user) -> str:
    from realtime.routing import websocket_urlpatterns

    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    if user is not None:
        ws.scope["user"] = user
    else:
        from django.contrib.auth.models import AnonymousUser

        ws.scope["user"] = AnonymousUser()
    try:
        connected, _ = await ws.connect()
        if not connected:
            return "-"
        output = await ws.receive_output(timeout=5)
        return "-" if output["type"] == "websocket.close" else "+"
    finally:
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_websocket_streams_admit_each_role_as_the_matrix_says():
    world = await database_sync_to_async(build_world)()
    failures = []
    cases = [(name, path(world), spec) for name, (path, spec) in SOCKETS.items()]
    cases.append(("draft board", f"/ws/boards/{world.draft_challenge.pk}/", DRAFT_BOARD_SOCKET))
    cases.append(("invited session", f"/ws/sessions/{world.invited.pk}/", INVITED_SESSION_SOCKET))
    for name, path, expected in cases:
        observed = "".join([await _connects(path, world.users[role]) for role in ROLES])
        if observed != expected:
            failures.append(f"{name}: expected {expected}, saw {observed}")
    assert not failures, failures
