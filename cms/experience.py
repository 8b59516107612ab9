"""Services as ``ideas.experience`` sees them (registered in ``CmsConfig.ready``): ``cms``
may import ``ideas``, not the other way round, so cms answers its catalogue lookups.

A service is named by its default-language page and its brand values by their
default-language snippets; titles and statements are in the active language when a
translation exists.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from cms.caching import CACHE_SECONDS, CONTENT
from cms.models import BrandValue, ServicePage
from cms.selectors import active_locale, localized
from community import versions
from ideas.experience.catalogue import BrandValueRef, ServiceRef, register_catalogue


def _canonical(page: ServicePage) -> ServicePage:
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return (
        ServicePage.objects.filter(translation_key=page.translation_key, locale=default).first()
        or page
    )


def _values(pages: list[ServicePage]) -> dict[int, tuple[BrandValueRef, ...]]:
    """Each page's brand values, as default-language ids with statements in the active
    language. Three queries at most, however many pages."""
    by_page = {page.pk: list(page.brand_values.all()) for page in pages}
    default = Locale.get_default()
    pending = {
        v.translation_key for vs in by_page.values() for v in vs if v.locale_id != default.pk
    }
    originals = (
        {
            v.translation_key: v
            for v in BrandValue.objects.filter(translation_key__in=pending, locale=default)
        }
        if pending
        else {}
    )
    canonical = {
        v.pk: v
        for vs in by_page.values()
        for v in (originals.get(x.translation_key, x) for x in vs)
    }
    shown = dict(zip(canonical, localized(list(canonical.values()), active_locale()), strict=True))
    out = {}
    for page_id, values in by_page.items():
        refs = {
            originals.get(v.translation_key, v).pk: shown[originals.get(v.translation_key, v).pk]
            for v in values
        }
        out[page_id] = tuple(
            sorted(
                (BrandValueRef(id=pk, statement=s.statement) for pk, s in refs.items()),
                key=lambda ref: ref.statement,
            )
        )
    return out


def _ref(
    page: ServicePage, canonical: ServicePage, title: str, values: tuple[BrandValueRef, ...]
) -> ServiceRef:
    return ServiceRef(
        id=canonical.pk,
        title=title,
        agency_id=canonical.responsible_agency_id,
        live=page.live and canonical.live,
        url=page.url or "",
        brand_values=values,
    )


def service(page_id: int) -> ServiceRef | None:
    """Kept in the cache under the CMS content stamp (cms/caching.py): a service page served
    from its cached fragment shows the feedback form without a query."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = f"cms:experience:service:{language}:{page_id}"
    stamps, found = versions.read([CONTENT], entries=[key])
    built_under = (stamps[CONTENT],)
    entry = versions.fresh(found.get(key), built_under)
    if entry is not None:
        return entry[0]
    ref = _service(page_id)
    versions.store(key, (built_under, (ref,)), timeout=CACHE_SECONDS)
    return ref


def _service(page_id: int) -> ServiceRef | None:
    page = ServicePage.objects.filter(pk=page_id).first()
    if page is None:
        return None
    canonical = _canonical(page)
    shown = localized([canonical], active_locale())[0] if page.pk == canonical.pk else page
    return _ref(page, canonical, shown.title, _values([canonical])[canonical.pk])


def agency_services(agency_id: int) -> list[ServiceRef]:
    pages = list(
        ServicePage.objects.filter(responsible_agency_id=agency_id, locale=Locale.get_default())
        .prefetch_related("brand_values")
        .order_by("title")
    )
    shown = localized(pages, active_locale())
    values = _values(pages)
    return sorted(
        (_ref(s, p, s.title, values[p.pk]) for p, s in zip(pages, shown, strict=True)),
        key=lambda r: r.title,
    )


def register() -> None:
    register_catalogue(service=service, agency_services=agency_services)
