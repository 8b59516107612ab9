"""Live service figures: ``/ws/experience/<agency_id>/``.

Staff of the agency only (as its dashboard); anyone else is closed with 4403 and learns
nothing about which agencies exist. Read only. Snapshot: ``{"agency": {"id", "name"},
"services": [...]}`` (the rows of ``experience.figures``, already suppressed).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from community.models import Organisation
from ideas.experience import permissions, selectors
from ideas.experience.events import experience_stream
from realtime.consumers import LiveConsumer


class ExperienceConsumer(LiveConsumer):
    actions = {}

    async def resolve_stream(self) -> str | None:
        agency_id = self.scope["url_route"]["kwargs"]["agency_id"]
        self.agency = await database_sync_to_async(self._load_agency)(agency_id)
        return experience_stream(self.agency.pk)

    def _load_agency(self, agency_id: int) -> Organisation:
        agency = Organisation.objects.filter(pk=agency_id, kind=Organisation.Kind.AGENCY).first()
        if agency is None or not permissions.can_view_service_dashboard(self.user, agency):
            raise PermissionDenied
        return agency

    def build_snapshot(self) -> dict[str, Any]:
        return {
            "agency": {"id": self.agency.pk, "name": self.agency.name},
            "services": selectors.live_rows(self.agency.pk),
        }
