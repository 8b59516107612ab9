"""Service pages for anonymous visitors, whole, from the cache: no database, no page tree.

Serving a Wagtail page reads the site, the active locale, the home page and the page itself
(four queries even with remembered routes, cms/caching.py), and under daphne every request
opens its own database connection first. A service page looks the same to every anonymous
visitor but for two things, so :class:`AnonymousPageCacheMiddleware` keeps its whole HTML
with two slots and fills them per request:

* the CSRF token of the language switcher: each visitor gets their own, as without the cache;
* the ideas app's panels: a service page's "Help improve this service"
  (``ideas.fragments.improve_service_panel``) and the home page's open challenges and live
  activity (``ideas.fragments.home_panels``), each with its own exact cache (boards'
  sequence numbers, challenges, names, phase dates).

A hit costs one cache round trip: the content stamp and the page are read together with what
the page's panels read (which panels a page has is remembered per address by each process
from its first view), so the panels find their stamps, entries and boards' sequence numbers
already there.

An entry is used only while the CMS content stamp it was built under (cms/caching.py:
publishing, unpublishing, moving, renaming or deleting any page, view restrictions, agencies,
life events, brand values) is current, for the same host, path and language, and the same
templates (a digest of their source). Only the plainest requests take part: GET, no query
string (``?from_challenge`` is recorded per view), no session cookie (so no signed-in user,
no session data) and no messages cookie; and only 200 responses of page types that opt in
(``PAGE_CACHE = True``) with no view restriction. Everything else is served as before.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from wagtail import views as wagtail_views

from cms.caching import CACHE_SECONDS, CONTENT
from community import versions
from community.pagecache import CSRF_SLOT, plain_anonymous, templates_digest

# Rendered in place of the per-request parts (the CSRF slot is community.pagecache's). Editors'
# rich text cannot produce the panel slots: they are comments the page templates write.
PANEL_SLOT = "<!--slot:improve-panel-->"
HOME_SLOT = "<!--slot:home-panels-->"
SLOTS = (PANEL_SLOT, HOME_SLOT)

# Per page cache key: the page's id and the slots its HTML has, as last seen by this process.
_slots_of: dict[str, tuple[int, tuple[str, ...]]] = {}


def _cacheable(request: HttpRequest) -> bool:
    return plain_anonymous(request) and not request.GET


def rendering_for_cache(request: HttpRequest) -> bool:
    """For a page's ``get_context``/``serve``: render the slots instead of their content."""
    return getattr(request, "_page_cache", None) is not None


class AnonymousPageCacheMiddleware:
    """See the module doc. Goes last in ``MIDDLEWARE``: everything outside it (security
    headers, CSP, locale, CSRF cookie, sessions) runs on cached responses as on any other.
    Only requests routed to Wagtail's page view look at the cache at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or not _cacheable(request):
            return None
        language = translation.get_language() or settings.LANGUAGE_CODE
        key = ":".join(
            ["cms", "page", templates_digest(), request.get_host(), language, request.path]
        )
        names, counters, entries = [CONTENT], [], [key]
        if key in _slots_of:
            for more in _slot_reads(*_slots_of[key]):
                names, counters, entries = names + more[0], counters + more[1], entries + more[2]
        stamps, found = versions.read(names, counters, entries)
        built_under = (stamps[CONTENT],)
        entry = versions.fresh(found.get(key), built_under)
        if entry is not None:
            page_id, content_type, html = entry
            html = _fill(request, key, page_id, html, prefetched=(stamps, found))
            return HttpResponse(html, content_type=content_type)
        request._page_cache = (key, built_under)
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        page_id = getattr(response, "page_cache_page_id", None)
        if page_id is None or not rendering_for_cache(request):
            return response
        key, built_under = request._page_cache
        html = response.content.decode(response.charset)
        if response.status_code == 200 and not response.cookies:
            entry = (page_id, response["Content-Type"], html)
            versions.store(key, (built_under, entry), timeout=CACHE_SECONDS)
        response.content = _fill(request, key, page_id, html)
        return response


def _slot_reads(page_id: int, slots: tuple[str, ...]) -> list[tuple[list, list, list]]:
    from ideas import fragments

    reads = []
    if PANEL_SLOT in slots:
        reads.append(fragments.improve_panel_reads(page_id))
    if HOME_SLOT in slots:
        reads.append(fragments.home_panels_reads())
    return reads


def _fill(request: HttpRequest, key: str, page_id: int, html: str, prefetched=None) -> str:
    from ideas import fragments

    html = html.replace(CSRF_SLOT, get_token(request))
    slots = tuple(slot for slot in SLOTS if slot in html)
    _slots_of[key] = (page_id, slots)
    if PANEL_SLOT in slots:
        html = html.replace(
            PANEL_SLOT, fragments.improve_service_panel(page_id, prefetched=prefetched)
        )
    if HOME_SLOT in slots:
        html = html.replace(HOME_SLOT, fragments.home_panels(prefetched=prefetched))
    return html
