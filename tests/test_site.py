"""The site shell: home page, health endpoint, layout accessibility basics, languages."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_home():
    call_command("seed_demo", "--quiet")


def test_home_page_renders_with_an_accessible_layout(client, demo_home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="en"[ >]', html)
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html
    assert html.count("<h1") == 1
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'aria-live="polite"' in html
    assert '<label for="language-select">' in html


def test_public_pages_send_a_strict_content_security_policy(client, demo_home):
    policy = client.get("/")["Content-Security-Policy"]
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_language_switcher_changes_the_interface_language(client, demo_home):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es" ' in html
    assert "Saltar al contenido principal" in html


def test_wagtail_admin_login_is_served(client):
    assert client.get("/admin/login/").status_code == 200


def test_seed_demo_twice_changes_nothing():
    from django.apps import apps

    call_command("seed_demo", "--quiet")
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    call_command("seed_demo", "--quiet")
    after = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed


def test_demo_has_one_account_for_each_role():
    from community.models import Membership, Role, User

    call_command("seed_demo", "--quiet")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {Role.MODERATOR, Role.SERVICE_DESIGNER, Role.EDITOR, Role.AGENCY_ADMIN} <= roles
    assert User.objects.filter(memberships__isnull=True, is_superuser=False).exists()


def test_the_site_has_a_favicon_at_the_root_and_linked_from_every_page(client, demo_home):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file

    page = client.get("/").content.decode()
    svg = re.search(r'<link rel="icon" href="([^"]+\.svg)"', page)
    assert svg and '<link rel="icon" href="/favicon.ico"' in page
    assert client.get(svg.group(1)).status_code == 200
