"""Realtime event types published by community (documented in docs/realtime.md), and the
builders of their data, so every action publishes the same shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from realtime.events import declare
from realtime.schema import INT, STR, arr, null, obj

if TYPE_CHECKING:
    from community.models import Notification

NOTIFICATION_CREATED = declare(
    "notification.created",
    "A notification for this account: its title, link, category and the new unread count.",
    schema=obj(title=STR, url=STR, category=STR, unread=INT),
)
NOTIFICATION_READ = declare(
    "notification.read",
    "Notifications were marked read (ids, or all); carries the new unread count.",
    schema=obj(ids=null(arr(INT)), unread=INT),
)


def notification_data(note: Notification, *, unread: int) -> dict[str, Any]:
    """``notification.created``: what the header badge and the live announcement show."""
    return {"title": note.title, "url": note.url, "category": note.category, "unread": unread}


def notifications_read_data(ids: list[int] | None, *, unread: int) -> dict[str, Any]:
    """``notification.read``: which notifications were read (None: all) and how many are left."""
    return {"ids": ids, "unread": unread}
