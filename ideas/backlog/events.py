"""Backlog board event types and payloads (see docs/realtime.md, "Backlog board")."""

from __future__ import annotations

from typing import Any

from ideas.backlog.models import BacklogItem, ItemStatus
from realtime.events import declare
from realtime.groups import stream
from realtime.schema import BOOL, INT, STR, obj

_CARD = {
    "id": INT,
    "title": STR,
    "status": STR,
    "status_label": STR,
    "score": STR,
    "reach": INT,
    "impact": INT,
    "confidence": INT,
    "effort": INT,
    "target_quarter": STR,
    "is_public": BOOL,
    "owner": STR,
}

ITEM_CREATED = declare(
    "backlog.item_created", "A backlog item was added; data is its card.", schema=obj(**_CARD)
)
ITEM_UPDATED = declare(
    "backlog.item_updated",
    "A backlog item's fields changed (not its status); data is its card.",
    schema=obj(**_CARD),
)
ITEM_MOVED = declare(
    "backlog.item_moved",
    "A backlog item changed status; data is its card and the old status.",
    schema=obj(**_CARD, from_status=STR),
)

# Outbound webhook event names (the X-Civic-Event header and the payload's "event").
HOOK_CREATED = "backlog_item.created"
HOOK_CHANGED = "backlog_item.changed"


def backlog_stream(agency_id: int) -> str:
    return stream("backlog", agency_id)


def item_card(item: BacklogItem) -> dict[str, Any]:
    """A board card for staff (internal fields included: the stream is staff-only)."""
    return {
        "id": item.pk,
        "title": item.title,
        "status": item.status,
        "status_label": str(ItemStatus(item.status).label),
        "score": str(item.score),
        "reach": item.reach,
        "impact": item.impact,
        "confidence": item.confidence,
        "effort": item.effort,
        "target_quarter": item.target_quarter,
        "is_public": item.is_public,
        "owner": (item.owner.get_full_name() or item.owner.username) if item.owner_id else "",
    }


def item_moved_data(item: BacklogItem, from_status: str) -> dict[str, Any]:
    """The moved item's card and the status it left."""
    return {**item_card(item), "from_status": from_status}


def hook_payload(item: BacklogItem, event: str, changes: dict[str, Any]) -> dict[str, Any]:
    """What the agency's tracker receives: the item's state and which fields changed."""
    return {
        "event": event,
        "item": {
            "id": item.pk,
            "agency": item.agency.slug,
            "title": item.title,
            "problem": item.problem,
            "proposed_change": item.proposed_change,
            "status": item.status,
            "public_reason": item.public_reason,
            "target_quarter": item.target_quarter,
            "is_public": item.is_public,
            "score": str(item.score),
            "factors": {
                "reach": item.reach,
                "impact": item.impact,
                "confidence": item.confidence,
                "effort": item.effort,
            },
            "ideas": sorted(link.idea_id for link in item.idea_links.all()),
        },
        "changes": changes,
    }
