"""Service index: search by words in a service's body, filter by life event and agency."""

from __future__ import annotations

import pytest

from cms.tests.factories import LifeEventFactory, make_service
from community.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [service.title for service in response.context["services"]]


def test_search_finds_a_service_by_a_word_in_its_body(client, index):
    make_service(
        index,
        title="Book a bulky waste collection",
        body="<p>We collect old wardrobes, sofas and fridges from your home.</p>",
    )
    make_service(index, title="Register a birth", body="<p>Bring your baby's details.</p>")
    response = client.get(index.url, {"q": "wardrobes"})
    assert response.status_code == 200
    assert titles(response) == ["Book a bulky waste collection"]
    assert "1 service found" in response.content.decode()


def test_search_with_no_match_says_so_and_suggests_clearing(client, index):
    make_service(index, title="Register a birth")
    response = client.get(index.url, {"q": "zeppelin"})
    assert titles(response) == []
    assert "No services match" in response.content.decode()


def test_filter_by_life_event_groups_services_across_agencies(client, index):
    baby = LifeEventFactory(name="Having a baby", slug="having-a-baby")
    make_service(index, title="Register a birth", life_events=[baby], agency=OrganisationFactory())
    make_service(index, title="See a health visitor", life_events=[baby])
    make_service(index, title="Report a pothole")
    response = client.get(index.url, {"life_event": "having-a-baby"})
    assert sorted(titles(response)) == ["Register a birth", "See a health visitor"]


def test_filter_by_agency_includes_services_it_partners_on(client, index):
    health = OrganisationFactory(name="Health and Wellbeing", slug="health-wellbeing")
    make_service(index, title="Register a birth", agency=health)
    make_service(index, title="Apply for a Blue Badge", partners=[health])
    make_service(index, title="Report a pothole")
    response = client.get(index.url, {"agency": "health-wellbeing"})
    assert sorted(titles(response)) == ["Apply for a Blue Badge", "Register a birth"]


def test_search_and_filters_combine(client, index):
    baby = LifeEventFactory(slug="having-a-baby")
    make_service(index, title="Register a birth", body="<p>certificate</p>", life_events=[baby])
    make_service(index, title="Marriage certificates", body="<p>certificate</p>")
    response = client.get(index.url, {"q": "certificate", "life_event": "having-a-baby"})
    assert titles(response) == ["Register a birth"]


def test_unknown_filter_values_show_nothing_rather_than_failing(client, index):
    make_service(index, title="Register a birth")
    response = client.get(index.url, {"life_event": "no-such-thing", "page": "banana"})
    assert response.status_code == 200
    assert titles(response) == []


def test_drafts_are_never_listed_or_found(client, index):
    make_service(index, title="Secret pilot", body="<p>wardrobes</p>", publish=False)
    assert titles(client.get(index.url)) == []
    assert titles(client.get(index.url, {"q": "wardrobes"})) == []


def test_the_search_form_works_without_javascript(client, index):
    html = client.get(index.url).content.decode()
    assert 'method="get"' in html
    assert '<label for="service-q">' in html
    assert '<label for="service-life-event">' in html
    assert '<label for="service-agency">' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_long_listings_are_paginated_and_keep_the_filters(client, index):
    event = LifeEventFactory(slug="moving-home")
    for n in range(index.page_size + 3):
        make_service(index, title=f"Service {n:02d}", life_events=[event])
    response = client.get(index.url, {"life_event": "moving-home", "page": 2})
    assert len(titles(response)) == 3
    assert "life_event=moving-home&amp;page=1" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ['"', "AND OR NOT (", "*", "bin's -collection", "x" * 500, "%_\\", "\u00f1o\u00f1o \U0001f600"],
)
def test_odd_search_input_never_breaks_the_page(client, index, query):
    make_service(index, title="Report a missed bin", body="<p>Missed bin collection.</p>")
    response = client.get(index.url, {"q": query})
    assert response.status_code == 200
