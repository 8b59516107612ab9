"""With Redis unreachable, nothing a person does fails (issue 21, item 1).

The cache points at a port where nothing listens, so every cache call is refused as when
Redis has been killed. Pages are built from the database, writes commit, limits and
throttles let requests through, and websockets still get their snapshot.
"""

from __future__ import annotations

import socket

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from api.services import token_create
from cms.tests.factories import make_home, make_index, make_service
from config.cache import redis_cache
from ideas.models import Idea, Vote
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen
from realtime.events import acurrent_sequence, current_sequence, current_sequences
from realtime.routing import websocket_urlpatterns


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed on leaving: connections are refused


def _redis_down_caches() -> dict:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    return {"default": redis_cache(url, key_prefix="civic")}


@pytest.fixture
def redis_down():
    with override_settings(CACHES=_redis_down_caches()):
        yield


# Rates every request here would exceed if the limits were counted (and the counters could
# not be read): they must simply not be counted.
TIGHT = {
    "RATE_LIMITS": {"post": "1/h", "comment": "1/h", "vote": "1/h", "report": "1/h", "write": "1/h"}
}


def test_the_cache_answers_as_an_empty_cache(redis_down):
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is True
    cache.set("a", 1)
    cache.set_many({"a": 1, "b": 2})
    assert cache.get("a") is None
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    assert current_sequence("board:1") == 0
    assert current_sequences(["board:1", "board:2"]) == {"board:1": 0, "board:2": 0}


@pytest.mark.django_db
def test_board_idea_and_challenge_pages_are_served(redis_down, client):
    challenge = ChallengeFactory()
    idea = IdeaFactory(challenge=challenge)
    for url in ("/ideas/", f"/ideas/challenges/{challenge.pk}/", f"/ideas/{idea.pk}/"):
        assert client.get(url).status_code == 200, url
    user, _persona = citizen()
    client.force_login(user)
    for url in (f"/ideas/challenges/{challenge.pk}/", f"/ideas/{idea.pk}/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_service_page_with_its_idea_panel_is_served(redis_down, client):
    page = make_service(make_index(make_home()))
    ChallengeFactory().service_pages.add(page)
    for _ in range(2):
        assert client.get(page.url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_form_writes_commit_and_rate_limits_are_not_counted(redis_down, client, settings):
    settings.RATE_LIMITS = TIGHT["RATE_LIMITS"]
    challenge = ChallengeFactory()
    ideas = [IdeaFactory(challenge=challenge) for _ in range(3)]
    user, _persona = citizen()
    client.force_login(user)
    for idea in ideas:
        response = client.post(f"/ideas/{idea.pk}/support/")
        assert response.status_code == 302
    assert Vote.objects.filter(account=user).count() == 3


@pytest.mark.django_db(transaction=True)
def test_api_reads_and_writes_pass_the_throttles(redis_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "token": "1/min", "write": "1/hour"},
    }
    challenge = ChallengeFactory()
    idea = IdeaFactory(challenge=challenge)
    anonymous = APIClient()
    for _ in range(3):
        assert anonymous.get(f"/api/v1/ideas/{idea.pk}/").status_code == 200
    _user, persona = citizen()
    _token, raw = token_create(user=persona.account, name="Faults")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for n in range(3):
        response = api.post(
            "/api/v1/ideas/",
            {"challenge": challenge.pk, "title": f"Idea {n}", "body": "While Redis is away."},
            format="json",
        )
        assert response.status_code == 201, response.content
    assert Idea.objects.filter(persona=persona).count() == 3


@pytest.mark.django_db(transaction=True)
def test_sign_in_is_not_refused_by_its_rate_limit(redis_down, client):
    user, _persona = citizen()
    user.set_password("a-long-enough-secret")
    user.save()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "a-long-enough-secret"}
    )
    assert response.status_code in (200, 302)
    assert response.status_code != 429


@pytest.mark.django_db(transaction=True)
async def test_a_websocket_gets_its_snapshot(redis_down):
    challenge = await database_sync_to_async(ChallengeFactory)()
    await database_sync_to_async(IdeaFactory)(challenge=challenge)
    user, _persona = await database_sync_to_async(citizen)()
    assert await acurrent_sequence(f"board:{challenge.pk}") == 0
    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/boards/{challenge.pk}/")
    ws.scope["user"] = user
    connected, _ = await ws.connect()
    try:
        assert connected
        snapshot = await ws.receive_json_from(timeout=5)
        assert snapshot["type"] == "snapshot" and snapshot["seq"] == 0
        assert len(snapshot["data"]["ideas"]) == 1
    finally:
        await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_live_sockets_get_a_fresh_snapshot_when_redis_returns(monkeypatch):
    """Events sent while Redis was away are lost; the process resyncs its sockets itself,
    building one snapshot for the viewers of a board (as on connect)."""
    import asyncio

    from redis.exceptions import ConnectionError as RedisConnectionError

    from ideas.consumers import BoardConsumer
    from realtime import recovery

    redis = {"back": False, "refused": 0}

    async def ping(layer):
        if not redis["back"]:
            redis["refused"] += 1
            raise RedisConnectionError("refused")

    builds = []
    real_build = BoardConsumer._board_data

    def counted_build(self, user):
        builds.append(self)
        return real_build(self, user)

    monkeypatch.setattr(BoardConsumer, "_board_data", counted_build)
    monkeypatch.setattr(recovery, "SHARED_FOR", 60.0)  # a slow machine shares as well
    monkeypatch.setattr(recovery, "ping", ping)
    monkeypatch.setattr(recovery, "_watched", lambda layer: True)
    monkeypatch.setattr(recovery, "CHECK_EVERY", 0.01)
    challenge = await database_sync_to_async(ChallengeFactory)()
    sockets = []
    try:
        for _ in range(2):
            ws = WebsocketCommunicator(
                URLRouter(websocket_urlpatterns), f"/ws/boards/{challenge.pk}/"
            )
            sockets.append(ws)
            connected, _ = await ws.connect()
            assert connected
            first = await ws.receive_json_from(timeout=5)
            assert first["type"] == "snapshot" and first["data"]["ideas"] == []
        assert len(builds) == 1  # the second socket connected under the same number
        # An outage outlasts the shared frame's reuse (SHARED_FOR, 2 s in production).
        monkeypatch.setattr(recovery, "SHARED_FOR", 0.0)
        # Written while Redis was away: committed, but its event never went out.
        idea = await database_sync_to_async(IdeaFactory)(challenge=challenge)
        while not redis["refused"]:
            await asyncio.sleep(0.01)
        redis["back"] = True
        for ws in sockets:
            again = await ws.receive_json_from(timeout=10)
            assert again["type"] == "snapshot"
            assert [card["id"] for card in again["data"]["ideas"]] == [idea.pk]
        assert len(builds) == 2  # one snapshot for both sockets
    finally:
        for ws in sockets:
            await ws.disconnect()
        task = recovery._watchers.pop(asyncio.get_running_loop(), None)
        if task is not None:
            task.cancel()


def test_a_lost_event_moves_its_stream_on_once_redis_is_back(monkeypatch):
    """Pages cached under a board's number must not look current after Redis returns with
    its data (a network cut): the number of a stream whose event was lost is moved on."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from realtime import events

    cache.set(events.SEQUENCE_KEY.format(stream="board:7"), 5)

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("refused")

    with monkeypatch.context() as patch:
        patch.setattr(events, "async_to_sync", lambda function: unreachable)
        patch.setattr(events, "_redis_path", lambda layer: False)
        events._send("board:7", "idea.created", 1, "{}")  # logged, not raised
    assert "board:7" in events._missed
    assert current_sequence("board:7") == 5
    assert events.catch_up() == ["board:7"]
    assert current_sequence("board:7") == 6
    assert "board:7" not in events._missed
