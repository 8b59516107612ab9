"""Whole service pages for anonymous visitors (cms/pagecache.py): served without the
database, yet every visitor gets their own CSRF token and messages, signed-in people and
counted visits are never served from it, and the ideas panel stays exact."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.pagecache import CSRF_SLOT, PANEL_SLOT
from cms.tests.factories import make_service
from community.participation.models import ParticipationEvent
from community.tests.factories import UserFactory
from ideas.tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.fixture
def page(index):
    page = make_service(index, title="Replace a lost bin")
    ChallengeFactory(question="How might we stop bins going missing?").service_pages.add(page)
    return page


def test_an_anonymous_visitor_is_served_the_page_without_the_database(client, page):
    _get(client, page.url)
    again, queries = _get(client, page.url)
    assert queries == 0
    assert "Replace a lost bin" in again and "How might we stop bins going missing?" in again
    assert CSRF_SLOT not in again and PANEL_SLOT not in again


def test_a_repeat_view_costs_one_cache_round_trip_panel_included(client, page, cache_calls):
    _get(client, page.url)
    _get(client, page.url)  # the first fills the cache; the second learns the page's panel
    cache_calls.clear()
    html, queries = _get(client, page.url)
    assert queries == 0
    assert cache_calls == ["get_many"]
    assert "How might we stop bins going missing?" in html


def test_every_visitor_gets_their_own_csrf_token(page):
    for visitor in (Client(), Client(), Client()):
        html, _ = _get(visitor, page.url)
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert tokens, "the language switcher needs a token"
        secret = visitor.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_signed_in_people_are_never_served_the_cached_page(page):
    Client().get(page.url)  # an anonymous visit fills the cache
    member = Client()
    member.force_login(UserFactory())
    html, queries = _get(member, page.url)
    assert "Your account" in html and "Sign in" not in html
    assert queries > 0
    html, _ = _get(Client(), page.url)
    assert "Your account" not in html


def test_pending_messages_are_shown_to_their_visitor_only(page):
    Client().get(page.url)
    request = RequestFactory().get(page.url)
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Your language is now English.")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value
    html, queries = _get(visitor, page.url)
    assert "Your language is now English." in html and queries > 0
    html, _ = _get(Client(), page.url)
    assert "Your language is now English." not in html


def test_visits_from_a_challenge_are_still_counted(
    client, page, django_capture_on_commit_callbacks
):
    challenge = page.challenges.get()
    url = f"{page.url}?from_challenge={challenge.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            client.get(url)  # the same visitor twice: counted once (insight counts people)
        Client(HTTP_USER_AGENT="another visitor").get(url)
    assert ParticipationEvent.objects.filter(challenge_id=challenge.pk).count() == 2


def test_a_challenge_leaves_the_panel_when_it_closes(client, index):
    page = make_service(index)
    soon = timezone.now() + timedelta(seconds=1.5)
    challenge = ChallengeFactory(
        question="How might we tidy the recycling centre?",
        opens_at=timezone.now() - timedelta(days=2),
        ideas_close_at=soon - timedelta(seconds=1),
        closes_at=soon,
    )
    challenge.service_pages.add(page)
    assert "tidy the recycling centre" in _get(client, page.url)[0]
    time.sleep(2)
    assert "tidy the recycling centre" not in _get(client, page.url)[0]


def test_other_addresses_never_look_at_the_page_cache(client, monkeypatch):
    from cms import pagecache

    def refuse(*args, **kwargs):
        raise AssertionError("only Wagtail pages read the page cache")

    monkeypatch.setattr(pagecache.versions, "read", refuse)
    assert client.get("/ideas/").status_code == 200
    assert client.get("/healthz").status_code == 200
