"""``cms:services`` (the navigation entry), sitemap and the home page sections."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cms.models import HomePageFeaturedService
from cms.tests.factories import make_index, make_service

pytestmark = pytest.mark.django_db


def test_services_url_name_serves_the_service_index_in_place(client, index):
    assert reverse("cms:services") == "/services/"
    response = client.get(reverse("cms:services"))
    assert response.status_code == 200
    assert response.context["page"].pk == index.pk
    assert 'href="/services/" aria-current="page"' in response.content.decode()


def test_services_url_redirects_when_editors_moved_the_index(client, home):
    make_index(home, slug="council-services")
    response = client.get(reverse("cms:services"))
    assert response.status_code == 302
    assert response["Location"] == "/council-services/"


def test_services_url_says_plainly_when_there_is_no_index_yet(client, home):
    response = client.get(reverse("cms:services"))
    assert response.status_code == 404
    assert "has not been published yet" in response.content.decode()


def test_sitemap_lists_live_pages_only(client, index):
    live = make_service(index, slug="live-one")
    make_service(index, slug="draft-one", publish=False)
    body = client.get("/sitemap.xml").content.decode()
    assert f"/services/{live.slug}/" in body
    assert "draft-one" not in body


def test_home_shows_featured_services_and_an_honest_challenges_section(client, home, index):
    service = make_service(index, title="Report a missed bin")
    HomePageFeaturedService.objects.create(page=home, service=service)
    html = client.get("/").content.decode()
    assert "Report a missed bin" in html
    assert "Open challenges" in html
    assert "No challenge is open for ideas right now." in html
    assert html.count("<h1") == 1


def test_public_pages_carry_a_strict_content_security_policy(client, index):
    service = make_service(index)
    response = client.get(service.url)
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
