"""Assisted digital: staff at a counter or a volunteer takes part for a citizen, with consent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import AssistedContribution, Role
from community.tests.factories import IntermediaryFactory, MembershipFactory, PersonaFactory, staff
from ideas import actions
from ideas.models import Idea, Vote
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return PersonaFactory(display_name="Joan P.").account


@pytest.fixture
def challenge():
    return ChallengeFactory()


@pytest.fixture
def counter(challenge):
    return staff(Role.COUNTER_STAFF, challenge.agency)


def _form(challenge, citizen, **extra):
    return {
        "organisation": challenge.agency.pk,
        "citizen_email": citizen.email.upper(),
        "consent": "on",
        "consent_method": "in_person",
        "challenge": challenge.pk,
        "title": "Ramps at the library",
        "body": "The side door has steps only.",
        **extra,
    }


def test_counter_staff_post_an_idea_for_a_consenting_citizen(client, counter, citizen, challenge):
    client.force_login(counter)
    response = client.post("/ideas/assist/idea/", _form(challenge, citizen))
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert idea.persona.account == citizen, "the idea is the citizen's, under their persona"
    page = client.get(idea.get_absolute_url()).content.decode()
    assert f"Posted with help from {challenge.agency.name}" in page
    assert "Joan P." in page
    record = AssistedContribution.objects.get()
    assert (record.helper, record.citizen, record.consent_method) == (counter, citizen, "in_person")


def test_without_consent_nothing_is_posted_and_the_helper_is_told_why(
    client, counter, citizen, challenge
):
    client.force_login(counter)
    data = _form(challenge, citizen)
    del data["consent"]
    response = client.post("/ideas/assist/idea/", data)
    assert response.status_code == 400
    assert "Ask the citizen first" in response.content.decode()
    assert not Idea.objects.exists()
    assert not AssistedContribution.objects.exists()


def test_an_unknown_citizen_email_posts_nothing(client, counter, challenge, citizen):
    client.force_login(counter)
    response = client.post(
        "/ideas/assist/idea/", _form(challenge, citizen, citizen_email="nobody@example.org")
    )
    assert "No account uses that email address" in response.content.decode()
    assert not Idea.objects.exists()


def test_people_without_an_assisting_role_cannot_help(client, citizen, challenge):
    helper = staff(Role.MODERATOR, challenge.agency)
    client.force_login(helper)
    assert client.get("/ideas/assist/idea/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.idea_create_assisted(
            helper=helper,
            organisation=challenge.agency,
            citizen=citizen,
            consent_given=True,
            consent_method="in_person",
            challenge=challenge,
            title="Ramps",
            body="Please",
        )
    assert not Idea.objects.exists()


def test_a_volunteer_of_an_intermediary_supports_an_idea_for_a_citizen(citizen):
    idea = IdeaFactory()
    group = IntermediaryFactory(name="Northvale Age Friends")
    volunteer = MembershipFactory(organisation=group, role=Role.MEMBER).user
    vote = actions.vote_cast_assisted(
        helper=volunteer,
        organisation=group,
        citizen=citizen,
        consent_given=True,
        consent_method="phone",
        idea=idea,
    )
    assert vote.account == citizen
    assert AssistedContribution.objects.get().target == vote
    with pytest.raises(ValidationError):
        actions.vote_cast_assisted(
            helper=volunteer,
            organisation=group,
            citizen=PersonaFactory().account,
            consent_given=False,
            consent_method="phone",
            idea=idea,
        )
    assert Vote.objects.count() == 1


def test_the_citizen_sees_who_helped_on_their_privacy_page(client, counter, citizen, challenge):
    actions.idea_create_assisted(
        helper=counter,
        organisation=challenge.agency,
        citizen=citizen,
        consent_given=True,
        consent_method="in_person",
        challenge=challenge,
        title="Ramps at the library",
        body="The side door has steps only.",
    )
    client.force_login(citizen)
    page = client.get("/accounts/privacy/").content.decode()
    assert "Help you had taking part" in page
    assert challenge.agency.name in page
    assert "In person" in page
    assert counter.email not in page, "the helper's own account is never shown"


def test_helpers_find_the_assisted_pages_from_their_account(client, counter):
    client.force_login(counter)
    page = client.get("/accounts/").content.decode()
    assert "/ideas/assist/idea/" in page
    assert "/exchange/assist/" in page


def test_citizens_see_no_assisted_pages(client, citizen):
    client.force_login(citizen)
    assert "/ideas/assist/idea/" not in client.get("/accounts/").content.decode()
