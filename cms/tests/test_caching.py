"""Cached CMS fragments and routes: what editors publish shows on the next view."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Locale

from cms.tests.factories import BrandValueFactory, LifeEventFactory, make_service
from ideas import actions as idea_actions
from ideas.tests.factories import ChallengeFactory, citizen

pytestmark = pytest.mark.django_db


def _text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _cached(client, url: str) -> str:
    """The page as a second view serves it: from the cache."""
    _text(client, url)
    return _text(client, url)


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_published_change_to_a_service_page_shows_at_once(client, index, committed):
    page = make_service(index, summary="Bins collected weekly.")
    assert "Bins collected weekly." in _cached(client, page.url)
    page.save_revision()  # a draft changes nothing public
    committed(_publish, page, summary="Bins collected every two weeks.")
    html = _text(client, page.url)
    assert "Bins collected every two weeks." in html and "weekly" not in html


def test_agencies_brand_values_and_life_events_edited_in_the_cms_show_at_once(
    client, index, committed
):
    value, event = BrandValueFactory(statement="One visit"), LifeEventFactory(name="Moving")
    page = make_service(index, brand_values=[value], life_events=[event])
    agency = page.responsible_agency
    html = _cached(client, page.url)
    assert "One visit" in html and "Moving" in html and agency.name in html
    for row, field, text in (
        (value, "statement", "One visit, not three"),
        (event, "name", "Moving house"),
        (agency, "name", "City Waste Services"),
    ):
        setattr(row, field, text)
        committed(row.save)
    html = _text(client, page.url)
    assert "One visit, not three" in html and "Moving house" in html
    assert "City Waste Services" in html


def test_a_related_service_unpublished_leaves_the_page_at_once(client, index, committed):
    from cms.models import ServicePageRelatedService

    other = make_service(index, title="Garden waste")
    page = make_service(index)
    ServicePageRelatedService.objects.create(page=page, service=other, sort_order=0)
    committed(_publish, page)
    assert "Garden waste" in _cached(client, page.url)
    committed(other.unpublish)
    assert "Garden waste" not in _text(client, page.url)


def test_remembered_addresses_follow_unpublishing_and_renaming(client, index, committed):
    page = make_service(index, slug="bulky-waste")
    old = page.url
    _cached(client, old)
    committed(_publish, page, slug="large-items")
    moved = client.get(old)  # Wagtail's automatic redirect, not the remembered page
    assert moved.status_code == 301 and moved["Location"].endswith("/services/large-items/")
    assert page.title in _cached(client, page.url)
    committed(page.unpublish)
    _text(client, page.url, status=404)


def test_an_unknown_address_is_not_remembered(client, index, committed):
    _text(client, "/services/not-yet/", status=404)
    page = committed(make_service, index, slug="not-yet")
    assert page.title in _text(client, "/services/not-yet/")


def test_a_new_idea_on_a_linked_challenge_shows_in_the_panel_at_once(client, index, committed):
    page = make_service(index)
    challenge = ChallengeFactory(question="How might we cut missed collections?")
    challenge.service_pages.add(page)
    html = _cached(client, page.url)
    assert "How might we cut missed collections?" in html
    author, _ = citizen(display_name="Bin Watcher")
    committed(
        idea_actions.idea_create,
        user=author,
        challenge=challenge,
        title="Text me the day before",
        body="A reminder the evening before collection.",
    )
    html = _text(client, page.url)
    assert "Text me the day before" in html and "Bin Watcher" in html


def test_spanish_and_english_service_pages_do_not_share_fragments(index):
    Locale.objects.get_or_create(language_code="es")
    page = make_service(index, body="<p>Collected weekly.</p>")
    english = _cached(Client(HTTP_ACCEPT_LANGUAGE="en"), page.url)
    spanish = _cached(Client(HTTP_ACCEPT_LANGUAGE="es"), page.url)
    assert "What it is" in english and "Qué es" not in english
    assert "Qué es" in spanish and "What it is" not in spanish
    assert "Help improve this service" in english
    assert "Ayuda a mejorar este servicio" in spanish


def test_the_home_page_shows_newly_featured_and_renamed_services_at_once(
    client, home, index, committed
):
    from cms.models import HomePageFeaturedService

    service = make_service(index, title="Report a pothole")
    _cached(client, "/")
    HomePageFeaturedService.objects.create(page=home, service=service, sort_order=0)
    committed(_publish, home)
    assert "Report a pothole" in _text(client, "/")
    committed(_publish, service, title="Report a road defect")
    html = _text(client, "/")
    assert "Report a road defect" in html and "Report a pothole" not in html


def test_service_page_served_from_the_cache_reads_few_queries(client, index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = make_service(index)
    ChallengeFactory().service_pages.add(page)
    _cached(client, page.url)
    with CaptureQueriesContext(connection) as queries:
        _text(client, page.url)
    # The site, the active locale, the home page, this page and its linked challenges: the
    # route, view restrictions, relations and rendering come from the cache.
    assert len(queries) <= 5


def test_a_restriction_added_to_a_remembered_page_applies_at_once(client, index, committed):
    from wagtail.models import PageViewRestriction

    page = make_service(index)
    _cached(client, page.url)
    committed(
        PageViewRestriction.objects.create,
        page=page,
        restriction_type=PageViewRestriction.LOGIN,
    )
    for _ in range(2):
        response = client.get(page.url)
        assert response.status_code == 302 and "login" in response["Location"]
    restriction = PageViewRestriction.objects.get(page=page)
    committed(restriction.delete)
    assert page.title in _cached(client, page.url)
