"""The private notifications stream: badge counts live, only for the account's owner."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.actions import notify, persona_create
from community.tests.factories import UserFactory
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


async def _connect(user):
    ws = WebsocketCommunicator(app, "/ws/notifications/")
    ws.scope["user"] = user
    connected, code = await ws.connect()
    return ws, connected, code


async def test_anonymous_visitors_are_refused():
    ws, _connected, _ = await _connect(AnonymousUser())
    try:
        closed = await ws.receive_output(timeout=1)
        assert closed["type"] == "websocket.close"
        assert closed["code"] == 4403
    finally:
        await ws.disconnect()


async def test_snapshot_then_a_live_event_when_a_notification_arrives():
    user = await sync_to_async(UserFactory)()
    await sync_to_async(notify)(recipients=[user], category="account", title="Earlier")
    ws, connected, _ = await _connect(user)
    try:
        assert connected
        snapshot = await ws.receive_json_from()
        assert snapshot["type"] == "snapshot"
        assert snapshot["stream"] == f"user:{user.pk}"
        assert snapshot["data"]["unread"] == 1
        assert snapshot["data"]["recent"][0]["title"] == "Earlier"

        await sync_to_async(notify)(
            recipients=[user], category="account", title="Your idea moved", url="/ideas/3/"
        )
        event = await ws.receive_json_from()
        assert event["type"] == "notification.created"
        assert event["data"] == {
            "title": "Your idea moved",
            "url": "/ideas/3/",
            "category": "account",
            "unread": 2,
        }
        assert event["seq"] == snapshot["seq"] + 1

        await ws.send_json_to({"type": "mark_all_read", "ref": "r1"})
        frames = [await ws.receive_json_from() for _ in range(2)]
        ack = next(f for f in frames if f["type"] == "ack")
        read = next(f for f in frames if f["type"] == "notification.read")
        assert ack["result"] == {"unread": 0}
        assert read["data"]["unread"] == 0
    finally:
        await ws.disconnect()


async def test_another_accounts_notifications_never_reach_this_stream():
    me, other = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    ws, _, _ = await _connect(me)
    try:
        await ws.receive_json_from()
        await sync_to_async(notify)(recipients=[other], category="account", title="Not yours")
        assert await ws.receive_nothing(timeout=0.2)
    finally:
        await ws.disconnect()


async def test_payloads_never_name_the_accounts_personas():
    user = await sync_to_async(UserFactory)()
    await sync_to_async(persona_create)(account=user, display_name="Amara O.")
    await sync_to_async(persona_create)(account=user, display_name="Riverside parent")
    await sync_to_async(notify)(recipients=[user], category="account", title="Hello")
    ws, _, _ = await _connect(user)
    try:
        snapshot = await ws.receive_output()
        assert "Amara" not in snapshot["text"] and "Riverside" not in snapshot["text"]
    finally:
        await ws.disconnect()


async def test_marking_someone_elses_notification_does_nothing():
    me, other = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    theirs = (await sync_to_async(notify)(recipients=[other], category="account", title="x"))[0]
    ws, _, _ = await _connect(me)
    try:
        await ws.receive_json_from()
        await ws.send_json_to({"type": "mark_read", "ids": [theirs.pk]})
        ack = await ws.receive_json_from()
        assert ack == {"type": "ack", "action": "mark_read", "result": {"unread": 0}}
        await sync_to_async(theirs.refresh_from_db)()
        assert theirs.read_at is None
    finally:
        await ws.disconnect()


async def test_malformed_mark_read_gets_an_error_frame():
    user = await sync_to_async(UserFactory)()
    ws, _, _ = await _connect(user)
    try:
        await ws.receive_json_from()
        await ws.send_json_to({"type": "mark_read", "ids": ["one"]})
        frame = await ws.receive_json_from()
        assert frame["type"] == "error" and frame["code"] == "invalid"
    finally:
        await ws.disconnect()
