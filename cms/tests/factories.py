"""Factories and small builders for CMS tests (pages are built through Wagtail's tree API)."""

from __future__ import annotations

import factory
from wagtail.models import Locale, Page, Site

from cms.models import BrandValue, HomePage, LifeEvent, ServiceIndexPage, ServicePage
from community.tests.factories import OrganisationFactory


def default_locale() -> Locale:
    return Locale.get_default()


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent

    name = factory.Sequence(lambda n: f"Life event {n}")
    slug = factory.Sequence(lambda n: f"life-event-{n}")
    locale = factory.LazyFunction(default_locale)


class BrandValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandValue

    statement = factory.Sequence(lambda n: f"Promise number {n}")
    explanation = "What we promise, in plain words."
    locale = factory.LazyFunction(default_locale)


PHONE_CHANNEL = ("phone", {"number": "0300 555 0100", "details": "", "hours": "Weekdays"})
ONLINE_CHANNEL = (
    "online",
    {"url": "https://example.org/apply", "link_text": "Apply online", "details": "", "hours": ""},
)


def make_home(**kwargs) -> HomePage:
    """A published home page made the default site's root."""
    root = _root()
    fields = {"title": "Home", "slug": "home-page", "hero_title": "Make services work"}
    fields.update(kwargs)
    home = root.add_child(instance=HomePage(**fields))
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, site_name="Test")
    site.root_page = home
    site.save()
    return home


def _root() -> Page:
    """Wagtail's root page. Its migrations create it with the default locale, but a
    transactional test (``django_db(transaction=True)``) that ran before empties every table,
    so recreate what the migrations made when it is gone."""
    root = Page.get_first_root_node()
    if root is not None:
        return root
    from django.conf import settings

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    return Page.add_root(instance=Page(title="Root", slug="root", live=True))


def make_index(home: HomePage, **kwargs) -> ServiceIndexPage:
    fields = {"title": "Services", "slug": "services"}
    fields.update(kwargs)
    index = home.add_child(instance=ServiceIndexPage(**fields))
    index.save_revision().publish()
    return index


_counter = iter(range(1, 1_000_000))


def make_service(
    index: ServiceIndexPage,
    *,
    publish: bool = True,
    agency=None,
    partners=(),
    life_events=(),
    brand_values=(),
    **kwargs,
) -> ServicePage:
    n = next(_counter)
    fields = {
        "title": f"Service {n}",
        "slug": f"service-{n}",
        "summary": "Helps people with something useful.",
        "channels": [PHONE_CHANNEL],
        "responsible_agency": agency or OrganisationFactory(),
    }
    fields.update(kwargs)
    if not publish:
        fields["live"] = False
    page = ServicePage(**fields)
    page.partner_agencies = list(partners)
    page.life_events = list(life_events)
    page.brand_values = list(brand_values)
    page = index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
