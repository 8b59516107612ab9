"""What opinion maps hold about a person: which idea cards each board showed them.

Stored maps hold no person (aggregates only, see ``engine.OpinionResult.to_json``).
Impressions are exported with the account and erased with it (the rows also go with the
account by cascade; the eraser makes it explicit and independent of how accounts are
removed). An erased account's impressions leave the board's next map.
"""

from __future__ import annotations

from typing import Any

from ideas.opinion.models import BoardImpression
from ideas.opinion.services import schedule_recompute_on_commit


def export_impressions(user) -> list[dict[str, Any]]:
    rows = (
        BoardImpression.objects.filter(user=user)
        .select_related("challenge")
        .order_by("challenge_id")
    )
    return [
        {
            "challenge_id": row.challenge_id,
            "challenge": row.challenge.question,
            "ideas_shown": list(row.ideas),
            "updated_at": row.updated_at.isoformat(),
        }
        for row in rows
    ]


def erase_impressions(user) -> None:
    boards = list(BoardImpression.objects.filter(user=user).values_list("challenge_id", flat=True))
    BoardImpression.objects.filter(user=user).delete()
    for challenge_id in boards:
        schedule_recompute_on_commit("board", challenge_id)
