"""CMS pages in the one site search: Wagtail's own search, merged into the results.

Pages keep Wagtail's search backend (it indexes every page type's ``search_fields`` and is
what editors search in the admin); this module turns its answer into
``community.search.registry.Hit`` rows scored like the index's, so pages and citizens'
content rank together. Only live, public pages in the visitor's language (or the default
language's pages when it has none) are found.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from cms.selectors import search_terms
from community.search import text
from community.search.registry import Hit, register_external


def _text_of(page: Page) -> str:
    parts = [getattr(page, "summary", ""), getattr(page, "intro", ""), page.search_description]
    body = getattr(page, "body", "")
    if isinstance(body, str):
        parts.append(body)
    else:
        parts.append(str(body))
    return text.plain(" ".join(str(p) for p in parts if p))


def search_pages(query: str, agency_id: int | None, status: str, limit: int) -> list[Hit]:
    """Live public pages matching ``query`` (at most ``limit``). Pages have no status, so a
    status filter leaves them out; an agency filter keeps that agency's service pages."""
    from cms.models import ServicePage

    terms = search_terms(query)
    if status or not terms:
        return []
    pages = Page.objects.live().public().filter(depth__gt=1)
    if agency_id is not None:
        pages = pages.filter(
            pk__in=ServicePage.objects.filter(
                Q(responsible_agency_id=agency_id) | Q(partner_agencies__id=agency_id)
            ).values("pk")
        )
    locale = Locale.get_active()
    found = list(pages.filter(locale=locale).search(terms)[:limit])
    if not found and locale.pk != Locale.get_default().pk:
        found = list(pages.filter(locale=Locale.get_default()).search(terms)[:limit])
    if not found:
        return []
    specific = {
        page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in found]).specific()
    }
    hits = []
    for position, page in enumerate(found):
        page = specific.get(page.pk, page)
        body = _text_of(page)
        hits.append(
            Hit(
                kind="page",
                object_id=page.pk,
                title=page.title,
                url=page.url or "",
                snippet="",
                body=body,
                # Wagtail found it, so it is relevant even where the stems differ; its own
                # order breaks ties.
                score=max(text.score(page.title, body, query), 0.5) - position * 0.001,
                agency_id=getattr(page, "responsible_agency_id", None),
                updated_at=page.last_published_at,
                kind_label=_("Pages"),
            )
        )
    return hits


def register() -> None:
    register_external("page", _("Pages"), search_pages)
