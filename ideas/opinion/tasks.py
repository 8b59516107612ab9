"""Background work for opinion maps: the debounced recompute (``services.map_recompute``)."""

from __future__ import annotations

from django.tasks import task

from ideas.opinion import services


@task()
def recompute_map(*, kind: str, subject_id: int) -> str:
    """Recompute, store and publish one subject's map; returns the stored status."""
    row = services.map_recompute(kind=kind, subject_id=subject_id)
    return row.status if row is not None else "none"
