"""The base consumer's protocol, proven on the health stream."""

import json

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


async def _connect(path="/ws/health/"):
    communicator = WebsocketCommunicator(app, path)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def test_snapshot_comes_first_with_the_current_sequence():
    ws = await _connect()
    try:
        frame = await ws.receive_json_from()
        assert frame["type"] == "snapshot"
        assert frame["stream"] == "health"
        assert frame["seq"] == 0
        assert "process" in frame["data"]
    finally:
        await ws.disconnect()


async def test_event_reaches_every_client_including_the_sender_in_sequence():
    first, second = await _connect(), await _connect()
    try:
        await first.receive_json_from()
        await second.receive_json_from()
        await first.send_json_to({"type": "ping", "nonce": "one", "ref": "r1"})
        await first.send_json_to({"type": "ping", "nonce": "two"})
        frames = [await first.receive_json_from() for _ in range(4)]
        acks = [f for f in frames if f["type"] == "ack"]
        events = [f for f in frames if f["type"] == "health.pong"]
        assert acks[0] == {"type": "ack", "action": "ping", "ref": "r1", "result": {"nonce": "one"}}
        assert [e["seq"] for e in events] == [1, 2]
        seen = [await second.receive_json_from() for _ in range(2)]
        assert [(e["seq"], e["data"]["nonce"]) for e in seen] == [(1, "one"), (2, "two")]
    finally:
        await first.disconnect()
        await second.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"no_type": 1}', "malformed"),
        ('{"type": "launch_missiles"}', "unknown_type"),
        ('{"type": "ping"}', "invalid"),
        ('{"type": "ping", "nonce": "<script>"}', "invalid"),
        ('{"type": "ping", "nonce": "ok", "extra": true}', "invalid"),
    ],
)
async def test_bad_messages_get_an_error_with_a_code_and_change_nothing(raw, code):
    ws = await _connect()
    try:
        await ws.receive_json_from()
        await ws.send_to(text_data=raw)
        frame = await ws.receive_json_from()
        assert frame["type"] == "error"
        assert frame["code"] == code
        assert frame["message"]
        assert await ws.receive_nothing(timeout=0.1)
    finally:
        await ws.disconnect()


async def test_oversized_message_is_refused_before_parsing():
    ws = await _connect()
    try:
        await ws.receive_json_from()
        await ws.send_to(text_data=json.dumps({"type": "ping", "nonce": "x" * 20000}))
        frame = await ws.receive_json_from()
        assert frame["code"] == "too_large"
    finally:
        await ws.disconnect()


async def test_flooding_client_is_throttled_then_closed():
    limits = {
        "MAX_MESSAGE_BYTES": 1024,
        "MESSAGES_PER_SECOND": 0.01,
        "BURST": 2,
        "VIOLATIONS_BEFORE_CLOSE": 3,
    }
    with override_settings(REALTIME=limits):
        ws = await _connect()
        try:
            await ws.receive_json_from()
            for n in range(5):
                await ws.send_json_to({"type": "resync", "n": n})
            frames = []
            while True:
                output = await ws.receive_output(timeout=1)
                if output["type"] == "websocket.close":
                    assert output["code"] == 4429
                    break
                frames.append(json.loads(output["text"]))
            codes = [f.get("code") for f in frames if f["type"] == "error"]
            assert codes == ["rate_limited"] * 3
        finally:
            await ws.disconnect()


async def test_resync_sends_a_fresh_snapshot():
    ws = await _connect()
    try:
        await ws.receive_json_from()
        await ws.send_json_to({"type": "resync"})
        frame = await ws.receive_json_from()
        assert frame["type"] == "snapshot"
    finally:
        await ws.disconnect()


async def test_an_account_cannot_open_more_than_the_allowed_connections():
    from channels.db import database_sync_to_async

    from community.tests.factories import UserFactory

    user = await database_sync_to_async(UserFactory)()
    limits = {**_limits(), "MAX_CONNECTIONS_PER_ACCOUNT": 2}
    with override_settings(REALTIME=limits):
        sockets = []
        try:
            for _ in range(2):
                ws = WebsocketCommunicator(app, "/ws/health/")
                ws.scope["user"] = user
                assert (await ws.connect())[0]
                sockets.append(ws)
            third = WebsocketCommunicator(app, "/ws/health/")
            third.scope["user"] = user
            await third.connect()
            output = await third.receive_output(timeout=1)
            assert output["type"] == "websocket.close"
            assert output["code"] == 4409
            await third.disconnect()
            # Closing one frees its slot.
            await sockets.pop().disconnect()
            again = WebsocketCommunicator(app, "/ws/health/")
            again.scope["user"] = user
            assert (await again.connect())[0]
            frame = await again.receive_json_from()
            assert frame["type"] == "snapshot"
            sockets.append(again)
        finally:
            for ws in sockets:
                await ws.disconnect()


def _limits():
    from django.conf import settings

    return dict(settings.REALTIME)


async def test_events_already_waiting_for_a_socket_go_out_in_the_same_turn_all_in_order(
    monkeypatch,
):
    """Events queued for a busy socket are sent together when it gets to them (one write, not
    one each): every one of them, in order (PostgreSQL/Redis runs: the pub/sub layer)."""
    from channels.layers import get_channel_layer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from realtime.consumers import LiveConsumer
    from realtime.events import HEALTH_PONG, _message

    layer = get_channel_layer()
    if not isinstance(layer, RedisPubSubChannelLayer):
        pytest.skip("needs REDIS_URL (the Redis pub/sub channel layer)")
    taken = []
    take_waiting = LiveConsumer._take_waiting

    def spy(consumer):
        message = take_waiting(consumer)
        if message is not None:
            taken.append(message["seq"])
        return message

    monkeypatch.setattr(LiveConsumer, "_take_waiting", spy)
    before = set(layer._get_layer().channels)
    ws = await _connect()
    try:
        await ws.receive_json_from()
        [channel] = set(layer._get_layer().channels) - before
        queue = layer._get_layer().channels[channel]
        for seq in range(1, 6):  # arrive while the socket is busy: nothing runs in between
            message = {**_message("health", HEALTH_PONG, seq, f'{{"n":{seq}}}'), "seq": seq}
            queue.put_nowait(layer.serialize(message))
        frames = [await ws.receive_json_from() for _ in range(5)]
        assert [(f["seq"], f["data"]["n"]) for f in frames] == [(n, n) for n in range(1, 6)]
        assert taken == [2, 3, 4, 5]
        assert await ws.receive_nothing(timeout=0.1)
    finally:
        await ws.disconnect()
