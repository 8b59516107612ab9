"""Community pages show what the permission predicates decide (``{% may %}``)."""

import pytest
from django.urls import reverse

from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_persona_can_be_reported_by_signed_in_people_other_than_its_owner(client):
    persona = PersonaFactory()
    report = reverse("moderation:report", args=["community.persona", persona.pk])
    assert report not in client.get(persona.get_absolute_url()).content.decode()
    for viewer, shown in ((UserFactory(), True), (persona.account, False)):
        client.force_login(viewer)
        assert (report in client.get(persona.get_absolute_url()).content.decode()) is shown
