"""Live counters: staff of the agency only; a support elsewhere updates them at once."""

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas import actions
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


def _ws(agency_id, user):
    ws = WebsocketCommunicator(app, f"/ws/insight/{agency_id}/")
    ws.scope["user"] = user
    return ws


async def test_anyone_but_the_agencys_staff_is_closed_with_4403():
    agency = await sync_to_async(OrganisationFactory)()
    other_staff = await sync_to_async(staff)(
        Role.AGENCY_ADMIN, await sync_to_async(OrganisationFactory)()
    )
    for user, agency_id in (
        (AnonymousUser(), agency.pk),
        (await sync_to_async(UserFactory)(), agency.pk),
        (other_staff, agency.pk),
        (other_staff, 999999),
    ):
        ws = _ws(agency_id, user)
        try:
            connected, _ = await ws.connect(timeout=10)
            assert connected
            assert await ws.receive_output(timeout=10) == {"type": "websocket.close", "code": 4403}
        finally:
            await ws.disconnect()


@sync_to_async
def _setup():
    agency = OrganisationFactory()
    idea = IdeaFactory(challenge=ChallengeFactory(agency=agency))
    return agency, idea, staff(Role.MODERATOR, agency), citizen()[0]


async def test_a_support_updates_the_live_counters_of_the_agencys_dashboard():
    agency, idea, moderator, supporter = await _setup()
    ws = _ws(agency.pk, moderator)
    try:
        await ws.connect(timeout=10)
        snapshot = await ws.receive_json_from(timeout=10)
        assert snapshot["type"] == "snapshot" and snapshot["stream"] == f"insight:{agency.pk}"
        assert snapshot["data"]["counters"]["today"]["supports"] == 0
        await sync_to_async(actions.vote_cast)(user=supporter, idea=idea)
        event = await ws.receive_json_from(timeout=10)
        assert event["type"] == "insight.counters"
        assert event["data"]["today"]["supports"] == 1
        assert event["data"]["week"]["people"] == 1
    finally:
        await ws.disconnect()


async def test_counters_are_computed_only_while_a_dashboard_is_open(monkeypatch):
    from ideas.insight import selectors

    agency, idea, moderator, supporter = await _setup()
    second, third = await sync_to_async(
        lambda: IdeaFactory.create_batch(2, challenge=idea.challenge)
    )()
    computed = []
    real = selectors.counters
    monkeypatch.setattr(selectors, "counters", lambda *a, **k: computed.append(1) or real(*a, **k))
    await sync_to_async(actions.vote_cast)(user=supporter, idea=idea)
    assert computed == []  # nobody watching: no week of events counted
    ws = _ws(agency.pk, moderator)
    try:
        await ws.connect(timeout=10)
        await ws.receive_json_from(timeout=10)
        computed.clear()
        await sync_to_async(actions.vote_cast)(user=supporter, idea=second)
        event = await ws.receive_json_from(timeout=10)
        assert event["type"] == "insight.counters" and event["data"]["today"]["supports"] == 2
        assert computed == [1]
    finally:
        await ws.disconnect()
    computed.clear()
    await sync_to_async(actions.vote_cast)(user=supporter, idea=third)
    assert computed == []  # the dashboard closed
