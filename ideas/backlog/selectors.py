"""Reads shared by the board, the roadmap, the feed, the export and the consumer snapshot.

Every list prefetches what its template shows, so query counts do not grow with the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from community.models import Organisation
from ideas.backlog.models import (
    STAGE_OF,
    BacklogHistory,
    BacklogIdeaLink,
    BacklogItem,
    ItemStatus,
    PublicUpdate,
    RoadmapStage,
    WebhookDelivery,
)

PUBLIC_STATUSES = tuple(STAGE_OF)


@dataclass(frozen=True)
class BoardFilters:
    q: str = ""
    owner: int | None = None
    public: str = ""  # "", "public", "internal"
    quarter: str = ""


def board_items(agency: Organisation, filters: BoardFilters | None = None) -> QuerySet[BacklogItem]:
    """Every item of ``agency``'s backlog (staff view), filtered, with owners and idea counts."""
    filters = filters or BoardFilters()
    items = (
        BacklogItem.objects.filter(agency=agency)
        .select_related("owner", "agency")
        .prefetch_related("idea_links")
        .order_by("-status_changed_at", "-id")
    )
    if filters.q:
        items = items.filter(title__icontains=filters.q)
    if filters.owner:
        items = items.filter(owner_id=filters.owner)
    if filters.public == "public":
        items = items.filter(is_public=True)
    elif filters.public == "internal":
        items = items.filter(is_public=False)
    if filters.quarter:
        items = items.filter(target_quarter=filters.quarter)
    return items


def board_columns(items: Iterable[BacklogItem]) -> list[tuple[str, str, list[BacklogItem]]]:
    """(status, label, items sorted by score, highest first) for every status, in order."""
    grouped: dict[str, list[BacklogItem]] = {value: [] for value in ItemStatus.values}
    for item in items:
        grouped[item.status].append(item)
    return [
        (value, str(ItemStatus(value).label), sorted(grouped[value], key=lambda i: -i.score))
        for value in ItemStatus.values
    ]


def _public_items() -> QuerySet[BacklogItem]:
    return (
        BacklogItem.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "public_updates", queryset=PublicUpdate.objects.order_by("-created_at", "-id")
            ),
            Prefetch(
                "idea_links",
                queryset=BacklogIdeaLink.objects.select_related("idea__challenge"),
            ),
        )
        .order_by("-status_changed_at", "-id")
    )


def roadmap_items(agency: Organisation | None = None) -> QuerySet[BacklogItem]:
    """Public items (triaged onwards), newest change first, with updates and source ideas."""
    items = _public_items()
    return items.filter(agency=agency) if agency is not None else items


def roadmap_stages(items: Iterable[BacklogItem]) -> list[tuple[str, str, list[BacklogItem]]]:
    grouped: dict[str, list[BacklogItem]] = {value: [] for value in RoadmapStage.values}
    for item in items:
        if item.stage is not None:  # not on the roadmap (public items all are)
            grouped[item.stage].append(item)
    return [
        (value, str(RoadmapStage(value).label), grouped[value]) for value in RoadmapStage.values
    ]


def public_item(pk: int) -> BacklogItem:
    return _public_items().get(pk=pk)


def item_for_staff(pk: int) -> BacklogItem:
    return (
        BacklogItem.objects.select_related("agency", "owner")
        .prefetch_related(
            Prefetch("history", queryset=BacklogHistory.objects.select_related("actor")),
            "public_updates",
            Prefetch("idea_links", queryset=BacklogIdeaLink.objects.select_related("idea")),
            "links_out__to_item",
        )
        .get(pk=pk)
    )


def deliveries_of(agency: Organisation, limit: int = 100) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(endpoint__agency=agency)
        .select_related("item")
        .order_by("-created_at", "-id")[:limit]
    )


def open_data_items() -> QuerySet[BacklogItem]:
    """Public roadmap items for the open-data API: their public updates and the ids of the
    public ideas they came from (held, hidden and unpublished ideas left out)."""
    from ideas.selectors import public_ideas

    return (
        BacklogItem.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "public_updates", queryset=PublicUpdate.objects.order_by("-created_at", "-id")
            ),
            Prefetch(
                "idea_links",
                queryset=BacklogIdeaLink.objects.filter(
                    idea__in=public_ideas().values("pk")
                ).order_by("idea_id"),
            ),
        )
    )


def open_data_updates() -> QuerySet[PublicUpdate]:
    """Public updates of public roadmap items (the author is never published)."""
    return PublicUpdate.objects.filter(
        item__is_public=True, item__status__in=PUBLIC_STATUSES
    ).select_related("item")
