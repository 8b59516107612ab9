"""The live backlog board: staff only, snapshot, other staff see moves, moves by message."""

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.backlog import actions
from ideas.backlog.models import BacklogItem
from ideas.backlog.tests.factories import BacklogItemFactory, designer
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


def _ws(agency_id, user):
    ws = WebsocketCommunicator(app, f"/ws/backlog/{agency_id}/")
    ws.scope["user"] = user
    return ws


@sync_to_async
def _setup():
    agency = OrganisationFactory()
    item = BacklogItemFactory(agency=agency, title="Screens")
    return agency, item, designer(agency), staff(Role.MODERATOR, agency)


async def test_non_staff_are_closed_with_4403():
    agency, _item, _designer, _moderator = await _setup()
    outsider = await sync_to_async(designer)(await sync_to_async(OrganisationFactory)())
    for user in (AnonymousUser(), await sync_to_async(UserFactory)(), outsider):
        ws = _ws(agency.pk, user)
        try:
            connected, _ = await ws.connect()
            assert connected
            closed = await ws.receive_output()
            assert closed == {"type": "websocket.close", "code": 4403}
        finally:
            await ws.disconnect()


async def test_other_staff_see_a_move_live_after_the_snapshot():
    agency, item, designer_user, moderator = await _setup()
    watcher = _ws(agency.pk, moderator)
    try:
        await watcher.connect()
        snapshot = await watcher.receive_json_from()
        assert snapshot["type"] == "snapshot" and snapshot["stream"] == f"backlog:{agency.pk}"
        assert [i["title"] for i in snapshot["data"]["items"]] == ["Screens"]
        assert snapshot["data"]["can_move"] is False
        await sync_to_async(actions.item_transition)(
            user=designer_user, item=item, status="triaged"
        )
        event = await watcher.receive_json_from()
        assert event["type"] == "backlog.item_moved" and event["id"] == item.pk
        assert event["data"]["status"] == "triaged" and event["data"]["from_status"] == "new"
        assert event["seq"] == snapshot["seq"] + 1
    finally:
        await watcher.disconnect()


async def test_a_move_by_message_uses_the_service_rules():
    agency, item, designer_user, moderator = await _setup()
    ws = _ws(agency.pk, designer_user)
    watcher = _ws(agency.pk, moderator)
    try:
        await ws.connect()
        await ws.receive_json_from()
        await watcher.connect()
        await watcher.receive_json_from()
        await ws.send_json_to({"type": "move", "item": item.pk, "status": "done", "ref": "a"})
        error = await ws.receive_json_from()
        assert error["type"] == "error" and error["code"] == "invalid" and error["ref"] == "a"
        await ws.send_json_to({"type": "move", "item": item.pk, "status": "triaged", "ref": "b"})
        frames = [await ws.receive_json_from(), await ws.receive_json_from()]
        assert {f["type"] for f in frames} == {"ack", "backlog.item_moved"}
        moved = await watcher.receive_json_from()
        assert moved["data"]["status"] == "triaged"
        await watcher.send_json_to({"type": "move", "item": item.pk, "status": "new"})
        refused = await watcher.receive_json_from()
        assert refused["code"] == "forbidden"
    finally:
        await ws.disconnect()
        await watcher.disconnect()
    assert (await sync_to_async(BacklogItem.objects.get)(pk=item.pk)).status == "triaged"
