"""The version of everything editors change, for the CMS fragments pages cache.

Service and home pages cache their CMS part with Wagtail's ``{% wagtailpagecache %}``, which
varies on the page's own ``cache_key`` (its id, path and last publication) and the site, and
never caches a preview. What those parts also show comes from other rows: agencies, life
events, brand values, other pages (related and featured services, the service index, news)
and their view restrictions. :data:`CONTENT` is a :mod:`community.versions` stamp that moves
after any of those changes commits, so the fragments key on it and a change shows at once.

Editors change these rows in Wagtail and the Django admin, which call no service of ours, so
the stamp follows Django's and Wagtail's signals (connected in ``CmsConfig.ready``). The
receivers decide nothing: they only say "CMS content changed". Edits are rare next to page
views, so one stamp for all of them costs little.

The same stamp guards the routes the site's home page remembers (:class:`CachedRouteMixin`,
with each page's view restrictions) and whole service pages kept for anonymous visitors
(cms/pagecache.py).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import partial
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.url_routing import RouteResult

from community import versions
from community.models import Organisation

CONTENT = versions.PAGES

# How long a cached CMS fragment, route or page is kept: each is used only under the stamp it
# was built with, so this bounds memory, not staleness.
CACHE_SECONDS = 600


def content_version(request: HttpRequest | None = None) -> int:
    """The stamp now; read once per request when ``request`` is given."""
    if request is None:
        return versions.current(CONTENT)
    if not hasattr(request, "_cms_content_version"):
        request._cms_content_version = versions.current(CONTENT)
    return request._cms_content_version


def content_changed(**kwargs: Any) -> None:
    versions.bump(CONTENT)


def connect() -> None:
    """Publishing, unpublishing, moving or deleting a page (drafts change nothing public), and
    saving or deleting any row a cached fragment shows."""
    from cms.models import BrandValue, LifeEvent

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(content_changed, dispatch_uid="cms-content")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="cms-content")
    for model in (PageViewRestriction, Site, Locale, Organisation, LifeEvent, BrandValue):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cms-content-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cms-content-{model}")


def lazy_context(build: Callable[[], dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
    """Context entries that run ``build()`` (once) only if a template reads one of them.

    A page whose CMS fragment is cached then runs none of the fragment's queries.
    """
    loaded = SimpleLazyObject(build)
    return {name: SimpleLazyObject(partial(operator.getitem, loaded, name)) for name in names}


def fragment_context(request: HttpRequest) -> dict[str, Any]:
    """What ``{% wagtailpagecache %}`` blocks vary on besides the page and site."""
    return {"cms_version": content_version(request), "cms_cache_seconds": CACHE_SECONDS}


class CachedRouteMixin:
    """For the site's root page: serve known addresses without walking the page tree.

    Wagtail finds a page by reading each level of its address (the child, then its specific
    type: two queries a level), then reads the view restrictions of the page and its
    ancestors (two more). The root remembers, per address, the page's model, id, route
    arguments and view restrictions, together with the content stamp they were read under;
    the stamp moves whenever a page is published, unpublished, moved, renamed or deleted,
    or a restriction changes, so an entry is used only while it is exact. A known address
    then costs one query (none for the home page itself) and one cache round trip.
    Addresses that lead nowhere are not remembered, and previews always walk the tree.
    """

    def route(self, request, path_components):
        if getattr(request, "is_preview", False):
            return super().route(request, path_components)
        key = ":".join(["cms", "route", str(self.pk), *path_components])
        stamps, found = versions.read([CONTENT], entries=[key])
        stamp = request._cms_content_version = stamps[CONTENT]
        entry = versions.fresh(found.get(key), (stamp,))
        if entry is not None:
            label, pk, args, kwargs, restrictions = entry
            if pk == self.pk:
                page = self if self.live else None
            else:
                page = apps.get_model(label).objects.filter(pk=pk, live=True).first()
            if page is not None:
                page._view_restriction_ids = restrictions
                return RouteResult(page, args=args, kwargs=kwargs)
        result = super().route(request, path_components)
        page, args, kwargs = result
        restrictions = list(page.get_view_restrictions().values_list("pk", flat=True))
        page._view_restriction_ids = restrictions
        entry = (page._meta.label, page.pk, args, kwargs, restrictions)
        versions.store(key, ((stamp,), entry), timeout=CACHE_SECONDS)
        return result


class RoutedRestrictionsMixin:
    """For every page type: the view restrictions :class:`CachedRouteMixin` found with the
    page, when it was served through it (one query fewer on each page view, two on a
    cached route; none at all when nothing restricts the page)."""

    def get_view_restrictions(self):
        ids = getattr(self, "_view_restriction_ids", None)
        if ids is None:
            return super().get_view_restrictions()
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)
