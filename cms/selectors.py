"""Reads that CMS pages and the API share, in a constant number of queries.

Every function here fetches related rows in bulk (``prefetch_related_objects`` or one query
per relation), so a service page with ten partner agencies costs what one with two costs.
Translatable rows (pages, life events, brand values) are swapped for their translation in
the active language where one exists (:func:`localized`), again in one query per model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Locale, Page

from cms.models import (
    CampaignPage,
    HomePage,
    LifeEvent,
    NewsIndexPage,
    NewsPage,
    ServiceIndexPage,
    ServicePage,
)
from community.models import Organisation
from community.selectors import agencies as active_agencies

SEARCH_RESULTS_MAX = 200


def active_locale() -> Locale:
    """The Locale for the active UI language, or the default one (never raises)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.objects.get_for_language(language)
    except (Locale.DoesNotExist, LookupError):
        return Locale.get_default()


class _Translatable(Protocol):
    """What Wagtail's ``TranslatableMixin`` gives a page or snippet."""

    translation_key: Any
    locale_id: int | None


def localized[T: _Translatable](objects: Sequence[T], locale: Locale | None = None) -> list[T]:
    """``objects`` with each replaced by its translation in ``locale`` if there is one.

    Pages are only swapped for live translations. One query per call, whatever the length.
    """
    objects = list(objects)
    if not objects or not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return objects
    locale = locale or active_locale()
    pending = {o.translation_key for o in objects if o.locale_id != locale.pk}
    if not pending:
        return objects
    model: Any = type(objects[0])  # a Wagtail model (no type information)
    translations = model.objects.filter(locale=locale, translation_key__in=pending)
    if issubclass(model, Page):
        translations = translations.live()
    found = {o.translation_key: o for o in translations}
    return [o if o.locale_id == locale.pk else found.get(o.translation_key, o) for o in objects]


def with_service_cards(services: list[ServicePage]) -> list[ServicePage]:
    """Attach what a service card shows (agency, life events): two queries for any number."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        services,
        "responsible_agency",
        Prefetch("life_events", queryset=LifeEvent.objects.order_by("name")),
    )
    locale = active_locale() if services else None
    for service in services:
        service.card_life_events = localized(service.life_events.all(), locale)
    return services


def _live_services(index: ServiceIndexPage) -> QuerySet[ServicePage]:
    """Live, public services under ``index``; for a translated index, untranslated services
    fall back to the default-language version so nothing disappears from the list."""
    services = ServicePage.objects.live().public().descendant_of(index)
    default = Locale.get_default()
    if index.locale_id == default.pk:
        return services
    source = index.get_translation_or_none(default)
    if source is None:
        return services
    translated = ServicePage.objects.live().descendant_of(index).values("translation_key")
    fallback = (
        ServicePage.objects.live()
        .public()
        .descendant_of(source)
        .exclude(translation_key__in=translated)
    )
    return services | fallback


def services_in(
    index: ServiceIndexPage,
    *,
    query: str = "",
    life_event_slug: str = "",
    agency_slug: str = "",
) -> QuerySet[ServicePage] | list[ServicePage]:
    """Services under ``index``, filtered by life event and agency, then searched.

    Without a query: a queryset ordered by title (paginate it). With a query: a list in
    relevance order from Wagtail's search backend, at most ``SEARCH_RESULTS_MAX`` long.
    Unknown slugs filter to nothing rather than being ignored: the page says so.
    """
    services = _live_services(index)
    if life_event_slug:
        event = LifeEvent.objects.filter(slug=life_event_slug).first()
        if event is None:
            return ServicePage.objects.none()
        services = services.filter(life_events__translation_key=event.translation_key)
    if agency_slug:
        services = services.filter(
            Q(responsible_agency__slug=agency_slug) | Q(partner_agencies__slug=agency_slug)
        )
    if life_event_slug or agency_slug:
        services = ServicePage.objects.filter(id__in=services.values("id"))
    if not query:
        return services.order_by("title", "id")
    terms = search_terms(query)
    ids = list(services.values_list("id", flat=True)[:5000]) if terms else []
    if not ids:
        return []
    return list(ServicePage.objects.filter(id__in=ids).search(terms)[:SEARCH_RESULTS_MAX])


def search_terms(query: str) -> str:
    """The words of a visitor's query, without operators or quotes.

    Full-text engines give quotes, brackets and ``-`` meaning (SQLite FTS fails outright on
    an unbalanced quote); visitors type them by accident, so only words are searched.
    """
    return " ".join(re.findall(r"\w+", query))[:200]


def service_filters(index: ServiceIndexPage) -> dict:
    """The choices shown in the index's filter form: life events and agencies."""
    locale = active_locale()
    events = list(LifeEvent.objects.filter(locale=locale))
    if not events and locale.pk != Locale.get_default().pk:
        events = list(LifeEvent.objects.filter(locale=Locale.get_default()))
    return {"life_events": events, "agencies": list(active_agencies().order_by("name"))}


def service_page_context(page: ServicePage) -> dict:
    """Everything a service page shows about its relations: one query per relation."""
    locale = active_locale()
    related = [
        link.service
        for link in page.related_service_links.select_related("service").all()
        if link.service is not None and link.service.live and link.service_id != page.pk
    ]
    agency = None
    if page.responsible_agency_id:
        agency = Organisation.objects.filter(pk=page.responsible_agency_id).first()
    return {
        "agency": agency,
        "partner_agencies": list(page.partner_agencies.all()),
        "life_events": localized(page.life_events.all(), locale),
        "brand_values": localized(page.brand_values.all(), locale),
        "related_services": localized(related, locale),
    }


def news_in(index: NewsIndexPage) -> QuerySet[NewsPage]:
    return (
        NewsPage.objects.live()
        .public()
        .child_of(index)
        .order_by("-date", "-first_published_at")
        .only("title", "slug", "url_path", "date", "summary", "locale_id", "depth", "path")
    )


def home_page_context(home: HomePage) -> dict:
    """Featured services, life events to browse by, the service index and latest news."""
    locale = active_locale()
    featured = [
        f.service
        for f in home.featured_services.select_related("service").all()
        if f.service is not None and f.service.live
    ]
    featured = with_service_cards(localized(featured, locale))
    service_index = ServiceIndexPage.objects.live().child_of(home).first()
    latest_news = list(
        NewsPage.objects.live()
        .public()
        .descendant_of(home)
        .order_by("-date", "-first_published_at")[:3]
    )
    events = list(LifeEvent.objects.filter(locale=locale)) or list(
        LifeEvent.objects.filter(locale=home.locale)
    )
    return {
        "featured_services": featured,
        "service_index": service_index,
        "latest_news": latest_news,
        "home_life_events": events,
    }


def campaign_page_context(page: CampaignPage) -> dict:
    locale = active_locale()
    service = None
    if page.service_id:
        service = ServicePage.objects.live().filter(pk=page.service_id).first()
        if service is not None:
            service = localized([service], locale)[0]
    return {
        "campaign_service": service,
        "brand_values": localized(page.brand_values.all(), locale),
    }


def service_index_for(request: HttpRequest) -> ServiceIndexPage | None:
    """The live service index of the request's site, in the active language if translated."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    index = ServiceIndexPage.objects.live().public().descendant_of(root, inclusive=False).first()
    if index is None:
        return None
    return localized([index])[0]
