"""Realtime event types published by community (documented in docs/realtime.md)."""

from realtime.events import declare
from realtime.schema import INT, STR, arr, null, obj

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
