"""Factories for service-experience tests (and the moderation walk's sample)."""

from __future__ import annotations

import factory
from django.utils import timezone

from cms.models import ServiceIndexPage
from cms.tests.factories import BrandValueFactory, make_home, make_index, make_service
from community.models import Role
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas.experience.models import Feedback


def services_index() -> ServiceIndexPage:
    index = ServiceIndexPage.objects.first()
    return index or make_index(make_home())


def service_page(agency=None, values=("Simple", "Quick"), **kwargs):  # type: ignore[no-untyped-def]
    """A live service page of ``agency`` (a new one if None) with brand values."""
    index = services_index()  # first: it recreates Wagtail's root and locale if flushed
    brand = [BrandValueFactory(statement=s) for s in values]
    return make_service(index, agency=agency or OrganisationFactory(), brand_values=brand, **kwargs)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A signed-in citizen's web answer with a comment, on a new service."""

    class Meta:
        model = Feedback

    service_page = factory.LazyFunction(lambda: service_page().page_ptr)
    agency = factory.LazyAttribute(lambda o: o.service_page.specific.responsible_agency)
    channel = "web"
    got_what_needed = True
    satisfaction = 4
    comment = "The form was confusing"
    account = factory.LazyFunction(lambda: PersonaFactory().account)
    respondent = factory.Sequence(lambda n: f"respondent-{n}")
    day = factory.LazyFunction(timezone.localdate)


# Feedback text is read (and so reported) only by the agency's staff.
MODERATION_REPORTERS = {
    "experience.feedback": lambda feedback: staff(Role.MODERATOR, feedback.agency),
}
