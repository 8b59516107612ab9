"""The live turnout socket: a snapshot on connect (suppressed below 5), then one
``budget.turnout`` event per counted ballot; unknown budgets and hidden processes refused."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.tests.factories import PersonaFactory
from ideas.budgeting import actions
from ideas.budgeting.tests import webfactories as f
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(path: str, user=None) -> WebsocketCommunicator:
    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    ws.scope["user"] = user or AnonymousUser()
    return ws


def _world():
    process = f.process("voting")
    budget = f.budget(process)
    f.project(budget)
    f.voters_with_ballots(budget, [[1]] * 4)
    user = PersonaFactory().account
    f.voter(process, user=user)
    return budget, user


async def test_the_snapshot_then_a_ballot_moves_the_turnout_live():
    budget, user = await database_sync_to_async(_world)()
    ws = _socket(f"/ws/budgets/{budget.pk}/turnout/")
    try:
        connected, _ = await ws.connect()
        assert connected
        snapshot = await ws.receive_json_from(timeout=5)
        assert snapshot["type"] == "snapshot"
        assert snapshot["data"]["total"] is None  # 4 ballots: suppressed
        await database_sync_to_async(actions.ballot_cast)(
            user=user, budget=budget, choices={"1": 1}
        )
        event = await ws.receive_json_from(timeout=5)
        assert event["type"] == "budget.turnout"
        assert event["data"]["total"] == 5
        assert event["seq"] == snapshot["seq"] + 1
    finally:
        await ws.disconnect()


async def test_unknown_budgets_and_unpublished_processes_are_refused():
    def world():
        hidden = f.budget(f.process("upcoming"))
        return hidden.pk

    hidden = await database_sync_to_async(world)()
    for path, code in (
        (f"/ws/budgets/{hidden}/turnout/", 4403),
        ("/ws/budgets/999999/turnout/", 4404),
    ):
        ws = _socket(path)
        try:
            await ws.connect()
            output = await ws.receive_output(timeout=5)
            assert output["type"] == "websocket.close" and output["code"] == code
        finally:
            await ws.disconnect()
