"""Live messaging through the conversation consumer: who may connect, snapshot, events."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.exchange import actions
from community.exchange.models import Message
from community.exchange.tests.conftest import make_post
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


@pytest.fixture
def conversation(amara, joe):
    post = make_post(amara)
    return actions.exchange_respond(
        user=joe.account, post=post, persona=joe, message="Hello, could you help on Friday?"
    )


async def _open(exchange_id, user):
    ws = WebsocketCommunicator(app, f"/ws/exchange/{exchange_id}/")
    ws.scope["user"] = user if user is not None else AnonymousUser()
    connected, code = await ws.connect()
    return ws, connected, code


async def test_a_party_gets_a_snapshot_with_state_and_messages(conversation, amara):
    ws, connected, _ = await _open(conversation.pk, amara.account)
    try:
        assert connected
        frame = await ws.receive_json_from()
        assert frame["type"] == "snapshot"
        assert frame["stream"] == f"exchange:{conversation.pk}"
        data = frame["data"]
        assert data["you"] == "owner"
        assert data["exchange"]["status"] == "open"
        assert [m["author"] for m in data["messages"]] == ["Joe B."]
        assert "Friday" in data["messages"][0]["body_html"]
        assert amara.account.email not in str(data)
    finally:
        await ws.disconnect()


async def test_a_message_reaches_the_other_party_and_the_sender(conversation, amara, joe):
    owner, ok1, _ = await _open(conversation.pk, amara.account)
    responder, ok2, _ = await _open(conversation.pk, joe.account)
    try:
        assert ok1 and ok2
        await owner.receive_json_from()
        await responder.receive_json_from()
        await responder.send_json_to(
            {"type": "message", "body": "See you at <b>10</b><script>x</script>", "ref": "a1"}
        )
        frames = [await responder.receive_json_from() for _ in range(2)]
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack["ref"] == "a1"
        event = await owner.receive_json_from()
        assert event["type"] == "exchange.message"
        assert event["seq"] == 1
        assert event["data"]["author"] == "Joe B."
        assert event["data"]["side"] == "responder"
        assert "<b>10</b>" in event["data"]["body_html"]
        assert "<script" not in event["data"]["body_html"]
        assert (
            await database_sync_to_async(Message.objects.filter(exchange=conversation).count)() == 2
        )
    finally:
        await owner.disconnect()
        await responder.disconnect()


async def test_a_state_change_made_over_http_is_pushed_to_the_socket(conversation, amara, joe):
    ws, connected, _ = await _open(conversation.pk, amara.account)
    try:
        assert connected
        await ws.receive_json_from()
        await database_sync_to_async(actions.exchange_propose)(
            user=joe.account, exchange=conversation, hours="1.5"
        )
        frames = [await ws.receive_json_from() for _ in range(2)]
        types = {f["type"]: f for f in frames}
        assert types["exchange.updated"]["data"]["proposed_hours"] == "1.5"
        assert types["exchange.updated"]["data"]["proposed_by"] == "responder"
        assert types["exchange.message"]["data"]["kind"] == "event"
    finally:
        await ws.disconnect()


async def test_a_stranger_is_refused(conversation, stranger):
    ws, _connected, _code = await _open(conversation.pk, stranger.account)
    try:
        closed = await ws.receive_output(timeout=1)
        assert closed["type"] == "websocket.close"
        assert closed["code"] == 4403
    finally:
        await ws.disconnect()


async def test_an_anonymous_visitor_is_refused(conversation):
    ws, _connected, _code = await _open(conversation.pk, None)
    try:
        closed = await ws.receive_output(timeout=1)
        assert closed["type"] == "websocket.close"
        assert closed["code"] == 4403
    finally:
        await ws.disconnect()


async def test_an_unknown_conversation_is_not_found(amara):
    ws, _connected, _code = await _open(999999, amara.account)
    try:
        closed = await ws.receive_output(timeout=1)
        assert closed["type"] == "websocket.close"
        assert closed["code"] == 4404
    finally:
        await ws.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "message"},
        {"type": "message", "body": ""},
        {"type": "message", "body": 42},
        {"type": "message", "body": "x" * 4001},
        {"type": "message", "body": "hi", "exchange": 1},
    ],
)
async def test_malformed_messages_get_an_error_and_save_nothing(conversation, joe, frame):
    ws, connected, _ = await _open(conversation.pk, joe.account)
    try:
        assert connected
        await ws.receive_json_from()
        await ws.send_json_to(frame)
        reply = await ws.receive_json_from()
        assert reply["type"] == "error"
        assert reply["code"] == "invalid"
        assert await ws.receive_nothing(timeout=0.1)
        assert (
            await database_sync_to_async(Message.objects.filter(exchange=conversation).count)() == 1
        )
    finally:
        await ws.disconnect()


async def test_a_blocked_person_cannot_message_over_the_socket(conversation, amara, joe):
    await database_sync_to_async(actions.person_block)(user=amara.account, persona=joe)
    ws, connected, _ = await _open(conversation.pk, joe.account)
    try:
        assert connected
        await ws.receive_json_from()
        await ws.send_json_to({"type": "message", "body": "Hello?", "ref": "b1"})
        reply = await ws.receive_json_from()
        assert reply["type"] == "error"
        assert reply["code"] == "forbidden"
        assert "not accepting messages" in reply["message"]
    finally:
        await ws.disconnect()


async def test_an_intermediary_member_may_follow_the_conversation_of_their_organisation(
    li, riverside, joe
):
    post = await database_sync_to_async(actions.post_create)(
        user=li.account,
        persona=li,
        organisation=riverside,
        on_behalf_of="a neighbour",
        kind="request",
        title="Help reading letters from the council",
        description="Mr T. has trouble reading small print.",
        category="forms",
        area="riverside",
        mode="in_person",
    )
    exchange = await database_sync_to_async(actions.exchange_respond)(
        user=joe.account, post=post, persona=joe, message="I can help."
    )
    colleague = await database_sync_to_async(_colleague)(riverside)
    ws, connected, _ = await _open(exchange.pk, colleague)
    try:
        assert connected
        frame = await ws.receive_json_from()
        assert frame["data"]["you"] == "owner"
        await ws.send_json_to({"type": "message", "body": "I am Li's colleague, hello!"})
        frames = [await ws.receive_json_from() for _ in range(2)]
        event = next(f for f in frames if f["type"] == "exchange.message")
        assert event["data"]["author"] == "Colleague C."
    finally:
        await ws.disconnect()


async def test_a_member_removed_from_the_intermediary_can_no_longer_write(li, riverside, joe):
    post = await database_sync_to_async(actions.post_create)(
        user=li.account,
        persona=li,
        organisation=riverside,
        kind="offer",
        title="Digital drop-in at the community centre",
        description="Bring your phone.",
        category="digital",
        area="riverside",
        mode="in_person",
    )
    exchange = await database_sync_to_async(actions.exchange_respond)(
        user=joe.account, post=post, persona=joe, message="Can I come?"
    )
    colleague = await database_sync_to_async(_colleague)(riverside)
    ws, connected, _ = await _open(exchange.pk, colleague)
    try:
        assert connected
        await ws.receive_json_from()
        await database_sync_to_async(colleague.memberships.all().delete)()
        await ws.send_json_to({"type": "message", "body": "Still here?"})
        reply = await ws.receive_json_from()
        assert reply["type"] == "error"
        assert reply["code"] == "forbidden"
        await ws.send_json_to({"type": "resync"})
        assert (await ws.receive_output(timeout=1))["code"] == 4403
    finally:
        await ws.disconnect()


def _colleague(organisation):
    from community.tests.factories import MembershipFactory, PersonaFactory

    persona = PersonaFactory(display_name="Colleague C.")
    MembershipFactory(user=persona.account, organisation=organisation)
    return persona.account


# -- moderation: hidden messages leave both screens, held ones wait for a moderator ----------


def _report_and_decide(message, reporter, action, reason="abuse"):
    from community.moderation import actions as mod
    from community.moderation.tests.factories import moderator

    report = mod.report_create(user=reporter, obj=message, reason=reason)
    return mod.case_decide(
        moderator=moderator(), case=report.case, version=1, action=action, reason=reason
    )


async def test_a_hidden_message_disappears_live_from_both_sides(conversation, amara, joe):
    message = await database_sync_to_async(conversation.messages.get)()
    owner, ok1, _ = await _open(conversation.pk, amara.account)
    responder, ok2, _ = await _open(conversation.pk, joe.account)
    try:
        assert ok1 and ok2
        await owner.receive_json_from()
        await responder.receive_json_from()
        await database_sync_to_async(_report_and_decide)(message, amara.account, "hide")
        for ws in (owner, responder):
            event = await ws.receive_json_from()
            assert event["type"] == "exchange.message_hidden" and event["id"] == message.pk
            assert event["data"]["reason"] == "Hidden by a moderator: abuse"
        await responder.send_json_to({"type": "resync"})
        snapshot = await responder.receive_json_from()
        assert snapshot["data"]["messages"] == []
    finally:
        await owner.disconnect()
        await responder.disconnect()


async def test_a_held_message_is_acked_as_held_and_appears_when_approved(
    conversation, amara, joe, settings
):
    settings.MODERATION = {**settings.MODERATION, "BLOCKLIST": ["scumbag"]}
    owner, ok1, _ = await _open(conversation.pk, amara.account)
    responder, ok2, _ = await _open(conversation.pk, joe.account)
    try:
        assert ok1 and ok2
        await owner.receive_json_from()
        await responder.receive_json_from()
        await responder.send_json_to({"type": "message", "body": "Not a scumbag", "ref": "m1"})
        ack = await responder.receive_json_from()
        assert ack["type"] == "ack" and ack["result"]["held"] is True
        assert "Held for review" in ack["result"]["note"]
        assert await owner.receive_nothing()  # the other side sees nothing yet

        def approve():
            from community.moderation import actions as mod
            from community.moderation.models import ModerationCase
            from community.moderation.tests.factories import moderator

            case = ModerationCase.objects.get(object_id=ack["result"]["id"], held=True)
            mod.case_decide(moderator=moderator(), case=case, version=1, action="approve")

        await database_sync_to_async(approve)()
        event = await owner.receive_json_from()
        assert event["type"] == "exchange.message" and "Not a scumbag" in event["data"]["body_html"]
    finally:
        await owner.disconnect()
        await responder.disconnect()
