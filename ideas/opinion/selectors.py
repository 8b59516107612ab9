"""Reads of stored opinion maps. Pages read only what the background task stored: a fixed
number of queries (the map row, the labels of the statements it shows), whatever the votes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from ideas.insight.suppression import Cell, suppress
from ideas.opinion import sources
from ideas.opinion.models import OpinionMap

if TYPE_CHECKING:
    from ideas.opinion import engine


def stored_map(kind: str, subject_id: int) -> OpinionMap | None:
    """The stored map of a subject, or None if no change was ever scheduled for it."""
    return OpinionMap.objects.filter(kind=kind, subject_id=subject_id).first()


def stored_map_or_pending(kind: str, subject_id: int) -> OpinionMap:
    """The stored map, or an unsaved pending one (nothing computed yet)."""
    row = stored_map(kind, subject_id)
    return row if row is not None else OpinionMap(kind=kind, subject_id=subject_id)


def _pct(share: float) -> int:
    return round(100 * share)


def map_display(kind: str, subject_id: int) -> dict[str, Any]:
    """What the map partial shows, from the stored result: groups (sizes suppressed like
    every count of people in insight; a suppressed group's statements are not shown either,
    as shares of two or three people tell what each did), what each group thinks,
    consensus, divisive, and the group drawing. ``state`` says which message to show
    instead when there is no map. Statements the source no longer shows are left out."""
    from ideas.insight import charts
    from ideas.opinion import engine

    source = sources.source(kind)
    row = stored_map_or_pending(kind, subject_id)
    base: dict[str, Any] = {
        "kind": kind,
        "subject": subject_id,
        "row": row,
        "updating": row.votes_seen < row.version,
        "socket_path": f"/ws/opinion/{kind}/{int(subject_id)}/",
        "partial_url": reverse("opinion:map_partial", args=[kind, subject_id]),
    }
    if row.status == OpinionMap.Status.NO_IMPRESSIONS:
        return {**base, "state": "no_impressions"}
    if row.status != OpinionMap.Status.READY or not row.result:
        return {**base, "state": "pending"}
    result = engine.OpinionResult.from_json(row.result)
    counts = {
        "participants": result.participants_voted,
        "clustered": result.participants_clustered,
        "statement_count": len(result.statements),
        "min_votes": result.min_votes,
    }
    if not result.enough:
        return {**base, "state": "not_enough", "reason": result.reason, **counts}
    cells: list[Cell] = suppress([g.size for g in result.groups])
    # A group's views are hidden only when its own size is too small; a size hidden only so
    # that the small one cannot be worked out (secondary suppression) hides no views.
    shown = [cell.shown or cell.secondary for cell in cells]
    wanted = {
        r.statement
        for g, ok in zip(result.groups, shown, strict=True)
        if ok
        for r in g.representative
    }
    wanted |= {r.statement for r in (*result.consensus, *result.divisive)}
    labels = source.statement_labels(subject_id, sorted(wanted)) if wanted else {}
    totals = {s.statement: s for s in result.statements}

    def ranked(items: Iterable[engine.RankedStatement]) -> list[dict[str, Any]]:
        out = []
        for r in items:
            if r.statement not in labels:
                continue
            total = totals.get(r.statement)
            out.append(
                {
                    "label": labels[r.statement],
                    "agree_pct": _pct(total.agree / total.seen) if total and total.seen else 0,
                    "seen": total.seen if total else 0,
                    "groups": [
                        {"number": n, "pct": _pct(p) if shown[n - 1] else None}
                        for n, p in enumerate(r.group_agree, start=1)
                    ],
                }
            )
        return out

    groups: list[dict[str, Any]] = []
    for n, (g, cell) in enumerate(zip(result.groups, cells, strict=True), start=1):
        groups.append(
            {
                "number": n,
                "cell": cell,
                "views_shown": shown[n - 1],
                "x": g.centre[0],
                "y": g.centre[1],
                "representative": [
                    {
                        "label": labels[r.statement],
                        "kind": r.kind,
                        "agree_pct": _pct(r.agree_share),
                        "disagree_pct": _pct(r.disagree / r.seen) if r.seen else 0,
                    }
                    for r in g.representative
                    if shown[n - 1] and r.statement in labels
                ],
            }
        )
    # The drawing shows relative size only; a suppressed group is drawn at the smallest size
    # shown, so the picture cannot tell what the table hides.
    drawn = [g.size for g, cell in zip(result.groups, cells, strict=True) if cell.shown]
    floor = min(drawn, default=1)
    scatter = charts.scatter(
        [
            {
                "x": g["x"],
                "y": g["y"],
                "size": rg.size if g["cell"].shown else floor,
                "number": g["number"],
            }
            for g, rg in zip(groups, result.groups, strict=True)
        ]
    )
    return {
        **base,
        "state": "map",
        **counts,
        "groups": groups,
        "consensus": ranked(result.consensus),
        "divisive": ranked(result.divisive),
        "scatter": scatter,
    }
