"""Official content held in models reads in the active language and is stored only once."""

from __future__ import annotations

import pytest
from django.utils import translation

from community.content_i18n import originals
from community.models import Organisation
from community.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _agency():
    return OrganisationFactory(
        name="Parks Agency",
        description="Parks and trees.",
        translations={"es": {"name": "Agencia de Parques"}},
    )


def test_a_translated_field_reads_in_the_active_language_with_english_fallback():
    agency = _agency()
    with translation.override("es"):
        assert agency.name == "Agencia de Parques"
        assert agency.description == "Parks and trees."  # no Spanish: the original
    with translation.override("en"):
        assert agency.name == "Parks Agency"


def test_saving_or_validating_in_spanish_never_writes_the_translation_into_the_original():
    agency = _agency()
    with translation.override("es"):
        agency.full_clean()
        agency.save()
        agency.phone = "0300 555 0000"
        agency.save(update_fields=["phone"])
    stored = Organisation.objects.filter(pk=agency.pk).values_list("name", flat=True).get()
    assert stored == "Parks Agency"
    with translation.override("es"):
        fresh = Organisation.objects.get(pk=agency.pk)
        assert fresh.name == "Agencia de Parques"
        with originals():
            assert fresh.name == "Parks Agency"


def test_setting_a_translated_field_sets_the_original():
    agency = _agency()
    with translation.override("es"):
        agency.name = "Parks and Trees Agency"
        agency.save()
    assert Organisation.objects.get(pk=agency.pk).__dict__["name"] == "Parks and Trees Agency"


def test_queries_match_the_original_text():
    agency = _agency()
    with translation.override("es"):
        assert Organisation.objects.filter(name="Parks Agency").get() == agency


def test_the_demo_translates_its_official_content():
    from ideas import demo_translations
    from ideas.demo_es import SPANISH
    from ideas.tests.factories import ChallengeFactory

    agency = OrganisationFactory(name="Northvale Transport", slug="northvale-transport")
    question = "How might we cut the wait for a building consent?"
    challenge = ChallengeFactory(agency=agency, question=question)
    demo_translations.seed({})
    demo_translations.seed({})  # idempotent
    with translation.override("es"):
        challenge.refresh_from_db()
        agency.refresh_from_db()
        assert challenge.question == SPANISH[question]
        assert agency.name == "Transporte de Northvale"


def test_a_board_cached_for_a_spanish_visitor_still_shows_english_to_others(client):
    from ideas.tests.factories import ChallengeFactory

    challenge = ChallengeFactory(
        question="How might we plant more trees?",
        translations={"es": {"question": "¿Cómo podríamos plantar más árboles?"}},
    )
    client.cookies["django_language"] = "es"
    assert "plantar más árboles" in client.get(challenge.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "How might we plant more trees?" in html
    assert "plantar más árboles" not in html
