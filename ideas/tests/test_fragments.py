"""Cached board fragments: every change shows on the next view, and nothing about one viewer
(support, controls, CSRF token, messages, language) ever reaches another."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from community import actions as community_actions
from community.moderation import actions as moderation
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import UserFactory
from ideas import actions, fragments
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    challenge = ChallengeFactory()
    _, persona = citizen(display_name="Ada Author")
    IdeaFactory(challenge=challenge, persona=persona, title="Benches at bus stops")
    return challenge


def _view(client, challenge, **params) -> str:
    response = client.get(reverse("ideas:board", args=[challenge.pk]), params)
    assert response.status_code == 200
    return response.text


def _cached(client, challenge, **params) -> str:
    """The board as a second view serves it: from the cache."""
    _view(client, challenge, **params)
    return _view(client, challenge, **params)


def test_a_cached_board_costs_one_cache_round_trip_and_no_query(client, board, cache_calls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cached(client, board)
    cache_calls.clear()
    with CaptureQueriesContext(connection) as queries:
        html = _view(client, board)
    assert len(queries) == 0
    # Stamps, sequence number, challenge, about block, cards and the conversation list.
    assert cache_calls == ["get_many"]
    assert "Benches at bus stops" in html


def test_a_new_idea_shows_at_once_on_a_cached_board(client, board, committed):
    assert "Ideas (<span data-board-total>1</span>)" in _cached(client, board)
    author, _ = citizen()
    committed(
        actions.idea_create, user=author, challenge=board, title="Shade over the queue", body="x"
    )
    html = _view(client, board)
    assert "Shade over the queue" in html and "Benches at bus stops" in html
    assert "Ideas (<span data-board-total>2</span>)" in html


def test_an_edited_idea_shows_its_new_text_at_once(client, board, committed):
    idea = board.ideas.get()
    assert "Benches at bus stops" in _cached(client, board)
    committed(
        actions.idea_update,
        user=idea.persona.account,
        idea=idea,
        title="Benches with backs at bus stops",
        body="Older people need a back rest.",
    )
    html = _view(client, board)
    assert "Benches with backs at bus stops" in html and "Older people need a back rest." in html


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
    html = _view(client, board)
    assert "Benches at bus stops" not in html
    assert "Ideas (<span data-board-total>0</span>)" in html


def test_support_and_comments_show_at_once(client, board, committed):
    idea = board.ideas.get()
    assert 'data-field="support_count">0<' in _cached(client, board)
    supporter, _ = citizen()
    committed(actions.vote_cast, user=supporter, idea=idea)
    committed(actions.comment_create, user=supporter, idea=idea, body="Yes please")
    html = _view(client, board)
    assert 'data-field="support_count">1<' in html
    assert 'data-field="comment_count">1<' in html


def test_a_renamed_persona_and_a_deleted_account_show_at_once(client, board, committed):
    persona = board.ideas.get().persona
    assert "Ada Author" in _cached(client, board)
    committed(
        community_actions.persona_update,
        user=persona.account,
        persona=persona,
        display_name="Ada Lovelace",
    )
    assert "Ada Lovelace" in _view(client, board)
    committed(community_actions.account_delete, user=persona.account)
    html = _view(client, board)
    assert "Ada Lovelace" not in html and "Former participant" in html


def test_linked_pages_and_renamed_tags_show_at_once(client, board, committed):
    from wagtail.models import Page

    board.tags.set(["benches"])
    assert "benches" in _cached(client, board)
    page = Page.objects.get(depth=2)
    committed(board.service_pages.add, page)
    tag = Tag.objects.get(name="benches")
    tag.name = "seating"
    committed(tag.save)
    html = _view(client, board)
    assert f"?from_challenge={board.pk}" in html and page.title in html
    assert "seating" in html and ">benches<" not in html


def test_spanish_and_english_do_not_share_cached_cards(board):
    def view(language: str) -> str:
        response = Client(HTTP_ACCEPT_LANGUAGE=language).get(
            reverse("ideas:board", args=[board.pk])
        )
        assert response.status_code == 200
        return response.text

    english = view("en")
    spanish = view("es")
    assert "Supporters" in english and "Apoyos" not in english
    assert "Apoyos" in spanish and "Supporters" not in spanish
    assert "Sign in to support" in english and "Inicia sesión para apoyar" in spanish
    again = view("en")
    assert "Supporters" in again and "Apoyos" not in again


def _controls(html: str) -> dict[str, int]:
    return {
        "withdraw": html.count('data-action="unvote"'),
        "support": html.count('data-action="vote"'),
        "signin": html.count(">Sign in to support<"),
        "own": html.count(">Your idea<"),
    }


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_each_viewer_sees_their_own_support_and_csrf_token_never_anothers(board, committed):
    idea = board.ideas.get()
    other = IdeaFactory(challenge=board, title="Water fountains")
    fan, _ = citizen()
    committed(actions.vote_cast, user=fan, idea=idea)
    author = idea.persona.account
    viewers = {name: Client() for name in ("anonymous", "fan", "author", "stranger")}
    viewers["fan"].force_login(fan)
    viewers["author"].force_login(author)
    viewers["stranger"].force_login(UserFactory())
    seen = {}
    for _ in range(2):  # the first round fills the cache, the second reads it
        for name, viewer in viewers.items():
            html = _view(viewer, board)
            seen[name] = html
            secret = viewer.cookies["csrftoken"].value
            assert {_unmask_cipher_token(t) for t in _tokens(html)} == {secret}, name
    assert _controls(seen["anonymous"]) == {"withdraw": 0, "support": 0, "signin": 2, "own": 0}
    assert _controls(seen["fan"]) == {"withdraw": 1, "support": 1, "signin": 0, "own": 0}
    assert _controls(seen["author"]) == {"withdraw": 0, "support": 1, "signin": 0, "own": 1}
    assert _controls(seen["stranger"]) == {"withdraw": 0, "support": 2, "signin": 0, "own": 0}
    assert f"Withdraw your support for {idea.title}" in seen["fan"]
    assert f"Support {other.title}" in seen["fan"]


def test_cached_fragments_hold_nothing_about_a_viewer(board, committed):
    fan, _ = citizen()
    committed(actions.vote_cast, user=fan, idea=board.ideas.get())
    client = Client()
    client.force_login(fan)
    _view(client, board)
    cached = fragments.board_fragments(
        challenge_id=board.pk, user=fan, sort="trending", status="", page=1
    )
    stored = cached.about + "".join(
        c.before_time + c.before_actions + c.after_actions for c in cached.cards.cards
    )
    assert "csrfmiddlewaretoken" not in stored
    assert "<form" not in stored and "unvote" not in stored and "Sign in" not in stored
    assert fan.personas.get().display_name not in stored


def test_messages_stay_with_the_person_they_are_for(board, django_capture_on_commit_callbacks):
    idea = board.ideas.get()
    fan, _ = citizen()
    mine, theirs = Client(), Client()
    mine.force_login(fan)
    url = reverse("ideas:board", args=[board.pk])
    _view(theirs, board)
    with django_capture_on_commit_callbacks(execute=True):
        response = mine.post(
            reverse("ideas:idea_support", args=[idea.pk]), {"next": url}, follow=True
        )
    assert f"You support “{idea.title}”." in response.text
    assert "You support" not in _view(theirs, board)


def test_a_moderators_view_shows_citizens_nothing_of_moderation(client, board, committed):
    hidden = IdeaFactory(challenge=board, title="Rude words")
    moderation.report_create(user=UserFactory(), obj=hidden, reason="abuse")
    case = ModerationCase.objects.get(object_id=hidden.pk)
    mod = moderator(agency=board.agency)
    committed(
        moderation.case_decide,
        moderator=mod,
        case=case,
        version=case.version,
        action="hide",
        reason="abuse",
    )
    staff = Client()
    staff.force_login(mod)
    for viewer in (staff, client):
        html = _view(viewer, board)
        assert "Rude words" not in html and "Benches at bus stops" in html


def test_a_page_past_the_end_shows_the_last_page(client, board):
    html = _cached(client, board, page="99")
    assert "Benches at bus stops" in html


def test_the_public_totals_on_the_home_page_follow_the_board(client, board, committed):
    from ideas.selectors import open_challenges

    assert open_challenges()[0].idea_total == 1
    author, _ = citizen()
    committed(actions.idea_create, user=author, challenge=board, title="Fresh paint", body="x")
    assert open_challenges()[0].idea_total == 2


def test_an_edited_or_unpublished_challenge_shows_at_once(client, board, committed):
    assert board.question in _cached(client, board)
    board.question = "How might we make waiting for the bus easier?"
    committed(board.save)
    agency = board.agency
    agency.name = "Transit Authority"
    committed(agency.save)
    html = _view(client, board)
    assert "How might we make waiting for the bus easier?" in html
    assert "Transit Authority" in html
    board.is_published = False
    committed(board.save)
    assert client.get(reverse("ideas:board", args=[board.pk])).status_code == 404


def test_an_anonymous_visitor_reads_a_cached_board_without_the_database(client, board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _view(client, board)
    with CaptureQueriesContext(connection) as queries:
        _view(client, board)
    assert len(queries) == 0
