"""Multilingual content: Spanish translations where they exist, English otherwise."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from cms.tests.factories import BrandValueFactory, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(db):
    return Locale.objects.create(language_code="es")


def in_spanish(client):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    return client


def translate(page, locale, **fields):
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def test_spanish_visitors_get_the_spanish_home_page(client, home, spanish):
    translate(home, spanish, hero_title="Servicios que funcionan")
    assert "Servicios que funcionan" in in_spanish(client).get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Servicios que funcionan" not in client.get("/").content.decode()


def test_untranslated_pages_fall_back_to_english(client, home, index, spanish):
    translate(home, spanish, hero_title="Servicios que funcionan")
    service = make_service(index, title="Report a missed bin", slug="missed-bin")
    in_spanish(client)
    response = client.get(service.url)
    assert response.status_code == 200
    assert "Report a missed bin" in response.content.decode()
    index_response = client.get(index.url)
    assert index_response.status_code == 200
    assert "Report a missed bin" in index_response.content.decode()


def test_a_translated_service_replaces_the_english_one_in_spanish(client, home, index, spanish):
    translate(home, spanish, hero_title="Inicio")
    service = make_service(index, title="Report a missed bin", slug="missed-bin")
    make_service(index, title="Register a birth", slug="register-a-birth")
    translate(service, spanish, title="Avisar de un contenedor no recogido")
    in_spanish(client)
    html = client.get(service.url).content.decode()
    assert "Avisar de un contenedor no recogido" in html
    listing = client.get("/services/").content.decode()
    assert "Avisar de un contenedor no recogido" in listing
    assert "Register a birth" in listing
    assert "Report a missed bin" not in listing


def test_brand_values_show_in_the_visitors_language_when_translated(client, index, spanish):
    value = BrandValueFactory(statement="Plain words")
    spanish_value = value.copy_for_translation(spanish)
    spanish_value.statement = "Palabras claras"
    spanish_value.save()
    service = make_service(index, brand_values=[value])
    assert "Palabras claras" in in_spanish(client).get(service.url).content.decode()


def test_content_languages_match_the_interface_languages(settings):
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES] == [
        code for code, _ in settings.LANGUAGES
    ]
    assert settings.WAGTAIL_I18N_ENABLED
