"""Wagtail API v2: service pages with their channels and agencies, read-only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.tests.factories import BrandValueFactory, LifeEventFactory, make_service
from community.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/"
SERVICE_FIELDS = "summary,channels,responsible_agency,partner_agencies,life_events,brand_values"


def test_lists_service_pages_with_their_channels_and_agency(client, index):
    agency = OrganisationFactory(name="Parks and Environment", slug="parks-environment")
    make_service(
        index,
        title="Report a missed bin",
        agency=agency,
        channels=[
            ("phone", {"number": "0300 555 0104", "details": "", "hours": "9 to 5"}),
            ("sms", {"number": "60777", "keyword": "BIN", "details": "", "hours": ""}),
        ],
    )
    response = client.get(LISTING, {"type": "cms.ServicePage", "fields": SERVICE_FIELDS})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Report a missed bin"]
    service = items[0]
    assert [c["type"] for c in service["channels"]] == ["phone", "sms"]
    assert service["channels"][0]["value"]["number"] == "0300 555 0104"
    assert service["responsible_agency"]["name"] == "Parks and Environment"
    assert service["responsible_agency"]["slug"] == "parks-environment"


def test_detail_shows_partner_agencies_life_events_and_brand_values(client, index):
    page = make_service(
        index,
        partners=[OrganisationFactory(name="Housing and Planning")],
        life_events=[LifeEventFactory(name="Moving home")],
        brand_values=[BrandValueFactory(statement="Plain words")],
    )
    data = client.get(f"{LISTING}{page.pk}/").json()
    assert data["partner_agencies"][0]["name"] == "Housing and Planning"
    assert data["life_events"][0]["name"] == "Moving home"
    assert data["brand_values"][0]["statement"] == "Plain words"
    assert data["meta"]["type"] == "cms.ServicePage"


def test_drafts_are_not_in_the_api(client, index):
    page = make_service(index, publish=False)
    assert client.get(f"{LISTING}{page.pk}/").status_code == 404
    items = client.get(LISTING, {"type": "cms.ServicePage"}).json()["items"]
    assert items == []


def test_the_api_is_read_only(client, index):
    assert client.post(LISTING, {"title": "x"}).status_code == 405


def test_listing_queries_do_not_grow_with_the_number_of_services(client, index):
    def listing_queries() -> int:
        client.get(LISTING, {"type": "cms.ServicePage", "fields": SERVICE_FIELDS})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LISTING, {"type": "cms.ServicePage", "fields": SERVICE_FIELDS})
        assert response.status_code == 200
        return len(captured.captured_queries)

    for _ in range(2):
        make_service(index, partners=[OrganisationFactory()], life_events=[LifeEventFactory()])
    few = listing_queries()
    for _ in range(8):
        make_service(index, partners=[OrganisationFactory()], life_events=[LifeEventFactory()])
    assert listing_queries() == few


def test_api_search_finds_services_and_survives_stray_quotes(client, index):
    make_service(index, title="Report a missed bin", body="<p>wheelie bins</p>")
    found = client.get(LISTING, {"type": "cms.ServicePage", "search": "wheelie"}).json()
    assert [item["title"] for item in found["items"]] == ["Report a missed bin"]
    response = client.get(LISTING, {"search": '"wheelie'})
    assert response.status_code == 200
