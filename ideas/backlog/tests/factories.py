"""Factories for backlogs; build on the ideas and community factories."""

from __future__ import annotations

import factory

from community.models import Role
from community.tests.factories import OrganisationFactory, staff
from ideas.backlog.models import BacklogItem, WebhookEndpoint
from ideas.models import Status
from ideas.tests.factories import ChallengeFactory, IdeaFactory

SECRET = "s3cret-for-tests-only-0123456789"


class BacklogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BacklogItem

    agency = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Backlog item {n}")
    problem = "Riders cannot tell when the next bus comes."
    is_public = True


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    agency = factory.SubFactory(OrganisationFactory)
    url = "http://127.0.0.1:9/hook"
    secret = SECRET


def designer(agency):
    return staff(Role.SERVICE_DESIGNER, agency)


def accepted_idea(agency, **kwargs):
    return IdeaFactory(challenge=ChallengeFactory(agency=agency), status=Status.ACCEPTED, **kwargs)
