"""Budgeting event types and their payloads (see docs/realtime.md, "Participatory budgets").

Turnout is the only live number: counts of ballots, never who cast them, with counts of 1-4
people suppressed (``ideas.insight.suppression``) in the total and per district.
"""

from __future__ import annotations

from typing import Any

from realtime.events import declare
from realtime.groups import stream
from realtime.schema import INT, STR, arr, null, obj

TURNOUT = obj(
    budget=INT,
    total=null(INT),
    total_label=STR,
    districts=arr(obj(name=STR, count=null(INT), label=STR)),
)

BUDGET_TURNOUT = declare(
    "budget.turnout",
    "A counted ballot was cast or confirmed in a budget; data is the budget's turnout "
    "(absolute, counts below 5 suppressed as null with a label saying so).",
    schema=TURNOUT,
)


def turnout_stream(budget_id: int) -> str:
    return stream("budget", budget_id)


def turnout_data(turnout: Any) -> dict[str, Any]:
    """The event payload of a ``selectors.Turnout``."""
    return {
        "budget": turnout.budget_id,
        "total": turnout.total.value if turnout.total.shown else None,
        "total_label": str(turnout.total),
        "districts": [
            {
                "name": row.name,
                "count": row.cell.value if row.cell.shown else None,
                "label": str(row.cell),
            }
            for row in turnout.districts
        ],
    }
