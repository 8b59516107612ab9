"""Live turnout of a budget during its vote: ``/ws/budgets/<budget_id>/turnout/``.

Anyone who may see the process may follow it (turnout is public, and suppressed below 5 per
district by :func:`ideas.budgeting.selectors.turnout`); an unknown budget is closed with
4404, a process not yet public with 4403. Read only: no inbound actions besides ``resync``.
The snapshot is the same turnout the page shows; ``budget.turnout`` events carry it too.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from ideas.budgeting import permissions, selectors
from ideas.budgeting.events import turnout_data, turnout_stream
from ideas.budgeting.models import Budget
from realtime.consumers import LiveConsumer


def _budget(budget_id: int) -> Budget | None:
    return Budget.objects.select_related("process__agency").filter(pk=budget_id).first()


class TurnoutConsumer(LiveConsumer):
    actions = {}

    async def resolve_stream(self) -> str | None:
        self.budget_id = int(self.scope["url_route"]["kwargs"]["budget_id"])
        budget = await database_sync_to_async(_budget)(self.budget_id)
        if budget is None:
            return None
        allowed = await database_sync_to_async(permissions.can_view_process)(
            self.user, budget.process
        )
        if not allowed:
            raise PermissionDenied
        return turnout_stream(self.budget_id)

    def snapshot_key(self) -> Hashable | None:
        return ("budget-turnout", self.budget_id)  # the same for every viewer

    def build_snapshot(self) -> dict[str, Any]:
        budget = _budget(self.budget_id)
        if budget is None:
            raise PermissionDenied
        return turnout_data(selectors.turnout(budget))
