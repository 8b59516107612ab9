"""The live backlog board for agency staff: ``/ws/backlog/<agency_id>/``.

Staff of the agency only (others are closed with 4403). Snapshot: every item's card. Inbound
``move`` calls :func:`ideas.backlog.actions.item_transition` — the same rules as the form.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from community.models import Organisation
from ideas.backlog import actions as backlog_actions
from ideas.backlog import permissions, selectors
from ideas.backlog.events import backlog_stream, item_card
from ideas.backlog.models import TEXT_MAX, BacklogItem, ItemStatus
from realtime.consumers import Action, LiveConsumer

_ID = {"type": "integer", "minimum": 1, "maximum": 2**53}


class BacklogConsumer(LiveConsumer):
    actions = {
        "move": Action(
            handler="handle_move",
            properties={
                "item": _ID,
                "status": {"type": "string", "enum": list(ItemStatus.values)},
                "message": {"type": "string", "maxLength": TEXT_MAX},
            },
            required=("item", "status"),
        ),
    }

    async def resolve_stream(self) -> str | None:
        agency_id = self.scope["url_route"]["kwargs"]["agency_id"]
        agency = await database_sync_to_async(self._load_agency)(agency_id)
        if agency is None:
            return None
        self.agency = agency
        return backlog_stream(agency.pk)

    def _load_agency(self, agency_id: int) -> Organisation | None:
        agency = Organisation.objects.filter(pk=agency_id, kind=Organisation.Kind.AGENCY).first()
        if agency is None or not permissions.can_view_backlog(self.user, agency):
            # Non-staff learn nothing about which agencies exist.
            raise PermissionDenied
        return agency

    def build_snapshot(self) -> dict[str, Any]:
        items = selectors.board_items(self.agency)
        return {
            "agency": {"id": self.agency.pk, "name": self.agency.name},
            "can_move": permissions.can_manage_backlog(self.user, self.agency),
            "items": [item_card(item) for item in items],
        }

    def handle_move(self, *, item: int, status: str, message: str = "") -> dict[str, Any]:
        target = BacklogItem.objects.select_related("agency").get(pk=item, agency=self.agency)
        moved = backlog_actions.item_transition(
            user=self.user, item=target, status=status, message=message
        )
        return {"item": moved.pk, "status": moved.status}
