"""A volunteer asks for help in the exchange for a citizen, with the citizen's consent."""

from __future__ import annotations

import pytest
from django.conf import settings

from community.exchange.models import Post
from community.models import AssistedContribution, Role
from community.tests.factories import IntermediaryFactory, MembershipFactory, PersonaFactory

pytestmark = pytest.mark.django_db


def _data(group, citizen, **extra):
    return {
        "organisation": group.pk,
        "citizen_email": citizen.email,
        "consent": "on",
        "consent_method": "in_person",
        "title": "Help to read my letters",
        "description": "Once a week, about an hour.",
        "category": Post._meta.get_field("category").choices[0][0],
        "area": settings.EXCHANGE["AREAS"][0][0],
        "mode": Post._meta.get_field("mode").choices[0][0],
        **extra,
    }


def test_a_volunteer_posts_a_request_for_a_consenting_citizen(client):
    citizen = PersonaFactory(display_name="Sam K.").account
    group = IntermediaryFactory(name="Northvale Neighbours")
    volunteer = MembershipFactory(organisation=group, role=Role.MEMBER).user
    client.force_login(volunteer)
    response = client.post("/exchange/assist/", _data(group, citizen))
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.persona.account == citizen
    assert post.kind == Post.Kind.REQUEST
    page = client.get(f"/exchange/{post.pk}/").content.decode()
    assert "Posted with help from Northvale Neighbours" in page
    assert AssistedContribution.objects.get().action == "exchange_request"


def test_without_consent_no_request_is_posted(client):
    citizen = PersonaFactory().account
    group = IntermediaryFactory()
    volunteer = MembershipFactory(organisation=group, role=Role.MEMBER).user
    client.force_login(volunteer)
    data = _data(group, citizen)
    del data["consent"]
    response = client.post("/exchange/assist/", data)
    assert response.status_code == 400
    assert "Ask the citizen first" in response.content.decode()
    assert not Post.objects.exists()
