"""Realtime event types published by community (documented in docs/realtime.md)."""

from realtime.events import declare

NOTIFICATION_CREATED = declare(
    "notification.created",
    "A notification for this account: its title, link, category and the new unread count.",
)
NOTIFICATION_READ = declare(
    "notification.read",
    "Notifications were marked read (ids, or all); carries the new unread count.",
)
