"""The home page for anonymous visitors, whole from the cache (cms/pagecache.py), and its
ideas panels cached per change (ideas.fragments.home_panels): one cache round trip and no
query on a repeat view, and every panel exact after each kind of change."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.pagecache import CSRF_SLOT, HOME_SLOT
from community import actions as community_actions
from community.models import Role
from community.moderation import actions as moderation
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import UserFactory, staff
from ideas import actions, fragments
from ideas.fragments import TIME_SLOT
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _get(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _cached(client) -> str:
    """The home page as a repeat view serves it: from the cache."""
    _get(client)
    return _get(client)


def _open_panel(html: str) -> str:
    start = html.index('id="open-challenges-heading"')
    return html[start : html.index("</section>", start)]


def _activity_panel(html: str) -> str:
    start = html.index('id="live-activity-heading"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def board(home):
    challenge = ChallengeFactory(question="How might we make bus stops friendlier?")
    _, persona = citizen(display_name="Ada Author")
    IdeaFactory(challenge=challenge, persona=persona, title="Benches at bus stops")
    return challenge


def test_a_repeat_anonymous_view_costs_no_query_and_one_cache_round_trip(
    client, board, cache_calls
):
    _get(client)
    _get(client)  # the first fills the cache; the second learns which reads the page needs
    cache_calls.clear()
    with CaptureQueriesContext(connection) as queries:
        html = _get(client)
    assert len(queries) == 0
    assert cache_calls == ["get_many"]
    assert "Benches at bus stops" in html and "make bus stops friendlier" in html
    assert CSRF_SLOT not in html and HOME_SLOT not in html and TIME_SLOT not in html


def test_every_visitor_gets_their_own_csrf_token(board):
    from django.middleware.csrf import _unmask_cipher_token

    Client().get("/")
    for visitor in (Client(), Client()):
        html = _get(visitor)
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert tokens
        secret = visitor.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_signed_in_people_see_the_panels_from_their_cache_but_never_the_cached_page(
    board, committed
):
    Client().get("/")
    member = Client()
    member.force_login(UserFactory())
    html = _get(member)
    assert "Your account" in html and "Benches at bus stops" in html
    author, _ = citizen()
    committed(actions.idea_create, user=author, challenge=board, title="Shade", body="x")
    assert "Shade" in _activity_panel(_get(member))
    assert "Your account" not in _get(Client())


def test_a_posted_idea_shows_in_the_activity_and_the_board_total_at_once(client, board, committed):
    html = _cached(client)
    assert "1 idea" in _open_panel(html)
    author, _ = citizen(display_name="Bo Builder")
    committed(
        actions.idea_create, user=author, challenge=board, title="Shade over the queue", body="x"
    )
    html = _get(client)
    assert "Bo Builder posted an idea" in html and "Shade over the queue" in html
    assert "2 ideas" in _open_panel(html)


def test_a_comment_shows_in_the_activity_at_once(client, board, committed):
    idea = board.ideas.get()
    _cached(client)
    user, persona = citizen(display_name="Cy Commenter")
    committed(actions.comment_create, user=user, idea=idea, persona=persona, body="Yes please")
    assert "Cy Commenter commented on" in _activity_panel(_get(client))


def test_a_hidden_idea_leaves_the_activity_and_the_total_at_once(client, board, committed):
    idea = board.ideas.get()
    assert "Benches at bus stops" in _activity_panel(_cached(client))
    moderation.report_create(user=UserFactory(), obj=idea, reason="spam")
    case = ModerationCase.objects.get(object_id=idea.pk)
    committed(
        moderation.case_decide,
        moderator=moderator(agency=board.agency),
        case=case,
        version=case.version,
        action="hide",
        reason="spam",
    )
    html = _get(client)
    assert "Benches at bus stops" not in _activity_panel(html)
    assert "0 ideas" in _open_panel(html)


def test_a_merged_duplicate_leaves_the_activity_and_the_total_at_once(client, board, committed):
    survivor = board.ideas.get()
    duplicate = IdeaFactory(challenge=board, title="Seats at the bus stop")
    html = _cached(client)
    assert "Seats at the bus stop" in html and "2 ideas" in _open_panel(html)
    admin = staff(Role.AGENCY_ADMIN, board.agency)
    committed(actions.idea_merge, user=admin, duplicate=duplicate, survivor=survivor)
    html = _get(client)
    assert "Seats at the bus stop" not in _activity_panel(html)
    assert "1 idea" in _open_panel(html)


def test_renamed_people_and_edited_or_unpublished_challenges_show_at_once(client, board, committed):
    persona = board.ideas.get().persona
    _cached(client)
    committed(
        community_actions.persona_update,
        user=persona.account,
        persona=persona,
        display_name="Ada Lovelace",
    )
    assert "Ada Lovelace posted an idea" in _get(client)
    board.question = "How might we make waiting for the bus pleasant?"
    committed(board.save)
    assert "waiting for the bus pleasant" in _open_panel(_get(client))
    board.is_published = False
    committed(board.save)
    html = _get(client)
    assert "waiting for the bus pleasant" not in html and "Benches at bus stops" not in html


def test_a_published_page_shows_at_once(client, home, committed):
    from cms.models import NewsIndexPage, NewsPage

    news = home.add_child(instance=NewsIndexPage(title="You said, we did", slug="news"))
    _cached(client)
    story = news.add_child(
        instance=NewsPage(
            title="Benches installed",
            slug="benches",
            date=timezone.now().date(),
            summary="Twelve stops now have a bench.",
            you_said="<p>Somewhere to sit.</p>",
            we_did="<p>Twelve benches.</p>",
            live=False,
        )
    )
    committed(story.save_revision().publish)
    assert "Benches installed" in _get(client)


class _Clock:
    """Moves the time the panels are built and checked at (no sleeping)."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        real_now, real_time = timezone.now, time.time
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)
        monkeypatch.setattr(fragments.time, "time", lambda: real_time() + self.offset.seconds)


def test_a_challenge_opening_and_closing_by_time_shows_without_any_event(client, home, monkeypatch):
    now = timezone.now()
    ChallengeFactory(
        question="How might we light the underpass?",
        opens_at=now + timedelta(hours=1),
        ideas_close_at=now + timedelta(hours=3),
        closes_at=now + timedelta(hours=5),
    )
    clock = _Clock(monkeypatch)
    assert "light the underpass" not in _open_panel(_cached(client))
    clock.offset = timedelta(hours=2)  # it opened an hour ago: no save, no event
    assert "light the underpass" in _open_panel(_get(client))
    clock.offset = timedelta(hours=4)  # ideas closed
    assert "light the underpass" not in _open_panel(_get(client))


def test_relative_times_are_filled_on_each_view(client, board, monkeypatch, cache_calls):
    _cached(client)
    monkeypatch.setattr(fragments, "ago", lambda at: "a while ago")
    cache_calls.clear()
    html = _activity_panel(_get(client))
    assert "a while ago" in html
    assert "set" not in cache_calls  # filled from the cached entry, nothing rebuilt


def test_the_panels_key_on_what_they_show():
    """Stamp names and template digests are in the key and the entry; language and time
    zone in the key (dates and labels are rendered in them)."""
    names, _counters, entries = fragments.home_panels_reads()
    assert set(names) == {fragments.versions.PUBLIC_NAMES, fragments.CHALLENGES}
    (key,) = entries
    assert fragments._template_digest(fragments.OPEN_TEMPLATE) in key
    assert fragments._template_digest(fragments.ACTIVITY_TEMPLATE) in key
    from django.utils import translation

    with translation.override("es"):
        assert fragments.home_panels_reads()[2] != entries
