"""The public roadmap and its Atom feeds: public items only, triaged onwards."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from community.models import Organisation
from community.selectors import agencies as all_agencies
from community.text import plain_text
from ideas.backlog import selectors
from ideas.backlog.models import BacklogItem

FEED_SIZE = 50


def index(request: HttpRequest) -> HttpResponse:
    items = list(selectors.roadmap_items())
    return render(
        request,
        "backlog/roadmap.html",
        {"agency": None, "stages": selectors.roadmap_stages(items), "agencies": all_agencies()},
    )


def agency_roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.AGENCY)
    items = list(selectors.roadmap_items(agency))
    return render(
        request,
        "backlog/roadmap.html",
        {"agency": agency, "stages": selectors.roadmap_stages(items), "agencies": all_agencies()},
    )


def item(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.public_item(pk)
    except BacklogItem.DoesNotExist:
        raise Http404 from None
    return render(request, "backlog/roadmap_item.html", {"item": found})


class RoadmapFeed(Feed):
    """Atom: one entry per public item, updated when its status last changed."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str | None = None):
        if slug is None:
            return None
        return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.AGENCY)

    def title(self, obj):
        return _("%(agency)s roadmap") % {"agency": obj.name} if obj else _("Government roadmap")

    def link(self, obj):
        return reverse("roadmap:agency", args=[obj.slug]) if obj else reverse("roadmap:index")

    def subtitle(self, obj):
        return _("What is being explored, built and done, and the ideas it came from.")

    def items(self, obj):
        return selectors.roadmap_items(obj)[:FEED_SIZE]

    def item_title(self, item):
        # Atom titles are text, but some feed readers render them as HTML: strip any markup
        # (an item promoted from an idea carries a citizen's title).
        return f"{plain_text(item.title)} — {item.stage_label}"

    def item_description(self, item):
        updates = list(item.public_updates.all())
        latest = plain_text(updates[0].body) if updates else plain_text(item.problem)
        return f"{item.agency.name}: {latest}"

    def item_link(self, item):
        return item.get_absolute_url()

    def item_updateddate(self, item):
        return item.status_changed_at

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [item.stage_label, item.agency.name]
