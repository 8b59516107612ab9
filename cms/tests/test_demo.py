"""The Northvale demo: enough real-looking content, and seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from wagtail.models import Page

from cms.models import BrandValue, CampaignPage, LifeEvent, NewsPage, ServicePage

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_service_directory_and_is_idempotent(
    client, django_capture_on_commit_callbacks
):
    from cms import demo as cms_demo
    from community import demo as community_demo

    context = community_demo.seed({})
    with django_capture_on_commit_callbacks(execute=True):
        result = cms_demo.seed(context)
    services = result["service_pages"]
    assert len(services) >= 12
    assert all(page.live for page in services.values())
    agencies = {page.responsible_agency.slug for page in services.values()}
    assert len(agencies) >= 4
    assert LifeEvent.objects.count() >= 3
    assert BrandValue.objects.count() >= 3
    assert CampaignPage.objects.live().exists()
    assert NewsPage.objects.live().count() >= 2
    assert client.get("/services/").status_code == 200
    # Searchable straight away, without a task worker having run.
    found = client.get("/services/", {"q": "pothole"}).context["services"]
    assert [page.slug for page in found] == ["report-a-pothole"]

    # The CMS's own pages: other apps' demos add pages of their own types (a survey).
    cms_pages = Page.objects.filter(content_type__app_label__in=["cms", "wagtailcore"])
    counts = (cms_pages.count(), ServicePage.objects.count(), LifeEvent.objects.count())
    call_command("seed_demo", "--quiet")
    assert (cms_pages.count(), ServicePage.objects.count(), LifeEvent.objects.count()) == counts


def test_the_demo_services_and_news_are_translated_into_spanish(
    client, django_capture_on_commit_callbacks
):
    from cms import demo as cms_demo
    from community import demo as community_demo

    with django_capture_on_commit_callbacks(execute=True):
        cms_demo.seed(community_demo.seed({}))
    english = ServicePage.objects.filter(locale__language_code="en").count()
    assert ServicePage.objects.filter(locale__language_code="es", live=True).count() == english
    assert NewsPage.objects.filter(locale__language_code="es", live=True).count() >= 2
    assert LifeEvent.objects.filter(locale__language_code="es").count() >= 3
    client.cookies["django_language"] = "es"
    page = client.get("/services/report-a-pothole/").content.decode()
    assert "Avisa de un bache o una calle dañada" in page
    assert "Entrada sin escalones" in page or "Avisar de un problema en la calle" in page
    news = client.get("/you-said-we-did/").content.decode()
    assert "ahora basta con una" in news
    client.cookies["django_language"] = "en"
    assert (
        "Report a pothole or damaged road"
        in client.get("/services/report-a-pothole/").content.decode()
    )
