"""The private notifications stream: the header badge and list update live.

``/ws/notifications/`` is the signed-in account's own stream (``user:<id>``); anyone else is
refused. The snapshot carries the unread count and the latest notifications; events are
``notification.created`` and ``notification.read``. Clients may mark notifications read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from community import selectors
from community.actions.notifications import notifications_mark_read
from realtime.consumers import Action, LiveConsumer
from realtime.groups import user_stream

RECENT = 5


class NotificationsConsumer(LiveConsumer):
    actions = {
        "mark_read": Action(
            handler="handle_mark_read",
            properties={
                "ids": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1},
                    "minItems": 1,
                    "maxItems": 100,
                }
            },
            required=("ids",),
        ),
        "mark_all_read": Action(handler="handle_mark_all_read"),
    }

    async def resolve_stream(self) -> str:
        if not self.is_authenticated:
            raise PermissionDenied
        return user_stream(self.user.pk)

    def build_snapshot(self) -> dict[str, Any]:
        recent = selectors.notifications_for(self.user)[:RECENT]
        return {
            "unread": selectors.unread_count(self.user),
            "recent": [
                {
                    "id": n.pk,
                    "title": n.title,
                    "url": n.url,
                    "category": n.category,
                    "read": n.read_at is not None,
                    "at": n.created_at.isoformat(),
                }
                for n in recent
            ],
        }

    def handle_mark_read(self, *, ids: list[int]) -> dict:
        return {"unread": notifications_mark_read(user=self.user, notification_ids=ids)}

    def handle_mark_all_read(self) -> dict:
        return {"unread": notifications_mark_read(user=self.user)}
