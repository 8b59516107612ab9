"""The privacy dashboard's "what you share" form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.participation.models import SegmentProfile
from community.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


def test_a_citizen_chooses_what_to_share_on_the_privacy_page(client):
    user = PersonaFactory().account
    client.force_login(user)
    page = client.get(reverse("community:privacy"))
    assert "What you share for insight statistics" in page.content.decode()
    response = client.post(
        reverse("community:segments_update"), {"age_band": "25_34", "area": "harbour"}, follow=True
    )
    assert "Saved" in response.content.decode()
    assert SegmentProfile.objects.values_list("age_band", "area").get() == ("25_34", "harbour")
    export = client.get(reverse("community:export_json")).json()
    assert export["sections"]["insight_segments"]["items"][0]["area"] == "Harbour"


def test_an_unknown_choice_changes_nothing_and_says_what_to_do(client):
    user = PersonaFactory().account
    client.force_login(user)
    response = client.post(
        reverse("community:segments_update"), {"age_band": "ancient", "area": "mars"}, follow=True
    )
    assert "Choose from the lists" in response.content.decode()
    assert not SegmentProfile.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(reverse("community:segments_update"), {"age_band": "25_34"})
    assert response.status_code == 302 and "login" in response["Location"]
