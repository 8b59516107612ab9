"""The dashboard's live stream: staff of the agency only; an answer moves the figures."""

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.experience import services
from ideas.experience.tests.factories import service_page
from realtime.routing import websocket_urlpatterns

# Transactional: the consumer reads from its own thread. The service page's Wagtail root and
# locale, which a flush removes, are recreated by the factories.
pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


def _ws(agency_id, user):
    ws = WebsocketCommunicator(app, f"/ws/experience/{agency_id}/")
    ws.scope["user"] = user
    return ws


async def test_only_the_agencys_staff_may_watch():
    agency = await sync_to_async(OrganisationFactory)()
    for user in (AnonymousUser(), await sync_to_async(UserFactory)()):
        ws = _ws(agency.pk, user)
        try:
            connected, _ = await ws.connect(timeout=10)
            assert connected
            closed = await ws.receive_output(timeout=10)
            assert closed == {"type": "websocket.close", "code": 4403}
        finally:
            await ws.disconnect()


async def test_an_answer_moves_the_figures_live_suppressed():
    agency = await sync_to_async(OrganisationFactory)()
    page = await sync_to_async(service_page)(agency)
    viewer = await sync_to_async(staff)(Role.SERVICE_DESIGNER, agency)
    ws = _ws(agency.pk, viewer)
    try:
        connected, _ = await ws.connect(timeout=10)
        assert connected
        snapshot = await ws.receive_json_from(timeout=10)
        assert snapshot["data"]["services"] == [
            {"id": page.pk, "responses": "0", "satisfaction": None, "got_share": None}
        ]
        await sync_to_async(services.feedback_submit)(
            service_page_id=page.pk,
            channel="web",
            satisfaction=5,
            got_what_needed=True,
            respondent="one",
        )
        event = await ws.receive_json_from(timeout=10)
        assert event["type"] == "experience.figures"
        assert event["data"]["services"][0]["responses"] == "fewer than 5"
        assert event["data"]["services"][0]["satisfaction"] is None
    finally:
        await ws.disconnect()
