"""The site under WSGI (config/wsgi.py, what gunicorn serves in the shipped topology): pages
and their caches behave exactly as under daphne, and the client address is the visitor's."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager

import pytest
from django.core import signals
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.tests.factories import make_home, make_index, make_service
from config.wsgi import ProxiedClientAddress, build_application
from ideas import actions
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


@contextmanager
def _in_test_transaction():
    """As django.test.Client does: a request must not close the test's own connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def wsgi_get(app, path: str, **headers: str) -> tuple[str, dict, str, int]:
    """GET ``path`` through the WSGI callable: (status, headers, body, database queries)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "testserver",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    answer: dict = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(response_headers)

    with _in_test_transaction(), CaptureQueriesContext(connection) as queries:
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    return answer["status"], answer["headers"], body.decode(), len(queries)


@pytest.fixture(scope="module")
def app():
    return build_application()


def test_a_cached_board_shows_a_new_idea_at_once_under_wsgi(app, committed):
    challenge = ChallengeFactory()
    _, persona = citizen(display_name="Ada Author")
    IdeaFactory(challenge=challenge, persona=persona, title="Benches at bus stops")
    path = reverse("ideas:board", args=[challenge.pk])
    wsgi_get(app, path)
    status, _, cached, _ = wsgi_get(app, path)
    assert status == "200 OK"
    assert "Ideas (<span data-board-total>1</span>)" in cached
    author, _ = citizen()
    committed(
        actions.idea_create,
        user=author,
        challenge=challenge,
        title="Shade over the queue",
        body="x",
    )
    status, _, html, _ = wsgi_get(app, path)
    assert status == "200 OK"
    assert "Shade over the queue" in html and "Benches at bus stops" in html
    assert "Ideas (<span data-board-total>2</span>)" in html


def test_a_service_page_is_served_from_its_cache_and_follows_a_publish_under_wsgi(app, committed):
    page = make_service(make_index(make_home()), title="Replace a lost bin")
    wsgi_get(app, page.url)
    status, _, cached, queries = wsgi_get(app, page.url)
    assert status == "200 OK"
    assert queries == 0, "the second anonymous view is served from the page cache"
    assert "Replace a lost bin" in cached
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached)
    assert tokens and "csrf-token-slot" not in cached

    page.title = "Replace a lost or broken bin"
    committed(lambda: page.save_revision().publish())
    status, _, html, queries = wsgi_get(app, page.url)
    assert status == "200 OK"
    assert "Replace a lost or broken bin" in html
    assert queries > 0


def test_the_client_address_is_the_one_the_proxy_saw_not_the_proxys():
    seen = []

    def inner(environ, start_response):
        seen.append(environ["REMOTE_ADDR"])
        return []

    app = ProxiedClientAddress(inner)
    app({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, None)
    # A client's own X-Forwarded-For comes first; the proxy appends the real peer last.
    app({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}, None)
    app({"REMOTE_ADDR": "10.0.0.5"}, None)
    assert seen == ["203.0.113.9", "198.51.100.7", "10.0.0.5"]
