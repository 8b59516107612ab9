"""Wagtail API v2 (read-only): published pages as open data at /api/v2/pages/.

Service pages expose their channels, responsible and partner agencies, life events and
brand values (``ServicePage.api_fields``). Related rows are fetched in bulk so a listing's
query count does not grow with the number of pages.
"""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.models import ServicePage
from cms.selectors import search_terms


class PublicPagesAPIViewSet(PagesAPIViewSet):
    # JSON only: the browsable renderer ships inline scripts that the site's CSP forbids.
    renderer_classes = [JSONRenderer]

    def listing_view(self, request):
        # Only the words of ?search= reach the full-text engine: a stray quote or bracket
        # would otherwise be a database error on SQLite (see cms.selectors.search_terms).
        if "search" in request.GET:
            params = request.GET.copy()
            params["search"] = search_terms(params["search"])
            request._request.GET = params
        return super().listing_view(request)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        if queryset.model is ServicePage:
            queryset = queryset.select_related("responsible_agency").prefetch_related(
                "partner_agencies", "life_events", "brand_values"
            )
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
