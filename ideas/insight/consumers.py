"""Live dashboard counters: ``/ws/insight/<agency_id>/``.

Staff of the agency only; anyone else (anonymous, citizens, other agencies' staff) is closed
with 4403 and learns nothing about which agencies exist. Read only: no inbound actions
besides ``resync``. Snapshot: ``{"agency": {"id", "name"}, "counters": {...}}``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from community.models import Organisation
from ideas.insight import permissions, selectors
from ideas.insight.events import insight_stream, stopped_watching, watching
from realtime.consumers import LiveConsumer


class InsightConsumer(LiveConsumer):
    actions = {}

    async def resolve_stream(self) -> str | None:
        agency_id = self.scope["url_route"]["kwargs"]["agency_id"]
        self.agency = await database_sync_to_async(self._load_agency)(agency_id)
        await watching(self.agency.pk)
        self.watching = True
        return insight_stream(self.agency.pk)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "watching", False):
            self.watching = False
            await stopped_watching(self.agency.pk)
        await super().disconnect(code)

    def _load_agency(self, agency_id: int) -> Organisation:
        agency = Organisation.objects.filter(pk=agency_id, kind=Organisation.Kind.AGENCY).first()
        if agency is None or not permissions.can_view_insight(self.user, agency):
            raise PermissionDenied
        return agency

    def build_snapshot(self) -> dict[str, Any]:
        return {
            "agency": {"id": self.agency.pk, "name": self.agency.name},
            "counters": selectors.counters(self.agency),
        }
