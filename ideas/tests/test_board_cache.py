"""The board page for anonymous visitors, whole from the cache (ideas.boardcache): one cache
round trip, no query and no template on a repeat view; every visitor's own CSRF token; never
a signed-in person's page; and every kind of change shown on the next view."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import actions as community_actions
from community import versions
from community.models import Role
from community.moderation import actions as moderation
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.pagecache import CSRF_SLOT
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas import actions, boardcache
from ideas.conversations import actions as conversation_actions
from ideas.fragments import TIME_SLOT
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    challenge = ChallengeFactory(question="How might we make bus stops friendlier?")
    _, persona = citizen(display_name="Ada Author")
    IdeaFactory(challenge=challenge, persona=persona, title="Benches at bus stops")
    return challenge


def _get(client, challenge, query: str = ""):
    url = reverse("ideas:board", args=[challenge.pk]) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


def _view(client, challenge, query: str = "") -> str:
    return _get(client, challenge, query).text


def _cached(client, challenge, query: str = "") -> str:
    """The board as a repeat anonymous view serves it: whole, from the cache."""
    _view(client, challenge, query)
    response = _get(client, challenge, query)
    assert not response.templates, "a repeat anonymous view renders no template"
    return response.text


@pytest.fixture
def stored(monkeypatch):
    """The whole-page entries kept during a test (their keys)."""
    keys: list[str] = []
    real = versions.store

    def store(key, value, timeout):
        keys.append(key)
        real(key, value, timeout=timeout)

    monkeypatch.setattr(versions, "store", store)
    return keys


def _pages(stored: list[str]) -> list[str]:
    return [key for key in stored if key.startswith("ideas:boardpage")]


def test_a_repeat_anonymous_view_costs_no_query_one_round_trip_and_no_template(
    client, board, cache_calls
):
    _view(client, board)
    cache_calls.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, board)
    assert len(queries) == 0
    assert cache_calls == ["get_many"]
    assert not response.templates
    html = response.text
    assert "Benches at bus stops" in html and "make bus stops friendlier" in html
    assert CSRF_SLOT not in html and TIME_SLOT not in html
    assert "Sign in to support" in html and "Create an account" in html


def test_the_cached_page_is_the_page_rendered_afresh(client, board):
    fresh = _get(client, board)
    cached = _get(client, board)
    assert fresh.templates and not cached.templates
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", cached.text) == token.sub("", fresh.text)
    assert cached["Content-Type"] == fresh["Content-Type"]
    assert cached.get("Vary") == fresh.get("Vary")


def test_every_visitor_gets_their_own_csrf_token(board):
    Client().get(reverse("ideas:board", args=[board.pk]))
    secrets = set()
    for visitor in (Client(), Client()):
        html = _cached(visitor, board)
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(tokens) == 2  # the language switcher and the board's form
        secret = visitor.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
        secrets.add(secret)
    assert len(secrets) == 2


def test_text_that_reads_like_a_slot_is_shown_as_typed(client, board):
    IdeaFactory(challenge=board, title="csrf-token-slot and <!--slot:time-->")
    html = _cached(client, board)
    assert "csrf-token-slot and &lt;!--slot:time--&gt;" in html


def test_signed_in_people_never_get_the_cached_page(board, committed):
    _cached(Client(), board)
    fan, _ = citizen()
    member = Client()
    member.force_login(fan)
    response = _get(member, board)
    assert response.templates
    assert "Your account" in response.text and 'data-action="vote"' in response.text
    assert ">Sign in to support<" not in response.text
    assert "Your account" not in _cached(Client(), board)


def test_a_waiting_message_is_shown_to_its_visitor_not_cached(board):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    request, response = HttpRequest(), HttpResponse()
    storage = CookieStorage(request)
    storage.add(20, "Thanks for your report.")
    storage.update(response)
    visitor = Client()
    visitor.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    _cached(Client(), board)
    assert "Thanks for your report." in _view(visitor, board)
    assert "Thanks for your report." not in _cached(Client(), board)


def test_only_the_query_strings_the_page_writes_are_cached(client, board, stored):
    for query in ("", "sort=top", "sort=top&status=", "sort=newest&status=accepted"):
        _cached(client, board, query)
    assert len(_pages(stored)) == 4
    for query in ("sort=top&utm_source=x", "status=accepted&sort=top", "page=1", "sort=nope"):
        _view(client, board, query)
        assert _get(client, board, query).templates  # rendered again: nothing kept
    assert len(_pages(stored)) == 4


def test_a_page_past_the_end_is_not_kept(client, board, stored):
    assert "Benches at bus stops" in _view(client, board, "sort=top&page=99")
    assert _pages(stored) == []


def test_relative_times_are_filled_on_each_view(client, board, monkeypatch, stored):
    _cached(client, board)
    kept = len(_pages(stored))
    monkeypatch.setattr(boardcache, "ago_html", lambda times: ["a while ago"] * len(times))
    html = _cached(client, board)
    assert "a while ago</time>" in html
    assert len(_pages(stored)) == kept  # filled from the entry, nothing rebuilt


def test_a_posted_idea_and_its_support_and_comments_show_at_once(client, board, committed):
    assert "Ideas (<span data-board-total>1</span>)" in _cached(client, board)
    author, _ = citizen()
    idea = committed(
        actions.idea_create, user=author, challenge=board, title="Shade over the queue", body="x"
    )
    html = _cached(client, board)
    assert "Shade over the queue" in html
    assert "Ideas (<span data-board-total>2</span>)" in html
    supporter, _ = citizen()
    committed(actions.vote_cast, user=supporter, idea=idea)
    assert 'data-field="support_count">1<' in _cached(client, board)
    committed(actions.comment_create, user=supporter, idea=idea, body="Yes please")
    assert 'data-field="comment_count">1<' in _cached(client, board)


def test_a_hidden_idea_disappears_at_once(client, board, committed):
    idea = board.ideas.get()
    assert "Benches at bus stops" in _cached(client, board)
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
    html = _cached(client, board)
    assert "Benches at bus stops" not in html
    assert "Ideas (<span data-board-total>0</span>)" in html


def test_a_merged_duplicate_leaves_the_board_at_once(client, board, committed):
    survivor = board.ideas.get()
    duplicate = IdeaFactory(challenge=board, title="Seats at the bus stop")
    assert "Seats at the bus stop" in _cached(client, board)
    admin = staff(Role.AGENCY_ADMIN, board.agency)
    committed(actions.idea_merge, user=admin, duplicate=duplicate, survivor=survivor)
    html = _cached(client, board)
    assert "Seats at the bus stop" not in html
    assert "Ideas (<span data-board-total>1</span>)" in html


def test_a_renamed_person_shows_at_once(client, board, committed):
    persona = board.ideas.get().persona
    assert "Ada Author" in _cached(client, board)
    committed(
        community_actions.persona_update,
        user=persona.account,
        persona=persona,
        display_name="Ada Lovelace",
    )
    html = _cached(client, board)
    assert "Ada Lovelace" in html and "Ada Author" not in html


def test_an_edited_or_unpublished_challenge_shows_at_once(client, board, committed):
    assert "make bus stops friendlier" in _cached(client, board)
    board.question = "How might we make waiting for the bus pleasant?"
    committed(board.save)
    assert "waiting for the bus pleasant" in _cached(client, board)
    board.is_published = False
    committed(board.save)
    assert client.get(reverse("ideas:board", args=[board.pk])).status_code == 404


def test_a_started_conversation_shows_at_once(client, board, committed):
    assert "Buses to the hospital" not in _cached(client, board)
    designer = staff(Role.SERVICE_DESIGNER, board.agency)
    PersonaFactory(account=designer)
    committed(
        conversation_actions.conversation_create,
        user=designer,
        agency=board.agency,
        challenge=board,
        title="Buses to the hospital",
        question="What should change?",
    )
    assert "Buses to the hospital" in _cached(client, board)


class _Clock:
    """Moves the time pages are built and checked at (no sleeping). The cache's own clock
    stays: its entries do not expire meanwhile, so only the page's own check can refuse one."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)


def test_a_phase_moment_passing_shows_without_any_event(client, monkeypatch):
    now = timezone.now()
    challenge = ChallengeFactory(
        opens_at=now + timedelta(hours=1),
        ideas_close_at=now + timedelta(hours=3),
        closes_at=now + timedelta(hours=5),
    )
    IdeaFactory(challenge=challenge, title="Benches at bus stops")
    clock = _Clock(monkeypatch)
    html = _cached(client, challenge, "sort=newest")
    assert ">Opening soon<" in html and ">Sign in to support<" not in html
    clock.offset = timedelta(hours=2)  # it opened an hour ago: no save, no event
    html = _cached(client, challenge, "sort=newest")
    assert ">Open for ideas<" in html and html.count(">Sign in to support<") == 1
    clock.offset = timedelta(hours=6)  # closed
    html = _cached(client, challenge, "sort=newest")
    assert ">Closed<" in html and ">Sign in to support<" not in html


def test_a_conversation_opening_later_shows_when_it_opens(client, board, committed, monkeypatch):
    designer = staff(Role.SERVICE_DESIGNER, board.agency)
    PersonaFactory(account=designer)
    committed(
        conversation_actions.conversation_create,
        user=designer,
        agency=board.agency,
        challenge=board,
        title="Buses to the hospital",
        question="What should change?",
        opens_at=timezone.now() + timedelta(hours=1),
    )
    clock = _Clock(monkeypatch)
    assert "Buses to the hospital" not in _cached(client, board, "sort=newest")
    clock.offset = timedelta(hours=2)
    assert "Buses to the hospital" in _cached(client, board, "sort=newest")
