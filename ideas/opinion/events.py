"""The opinion map stream: one per subject (see docs/realtime.md, "Opinion maps")."""

from __future__ import annotations

from realtime.events import declare
from realtime.groups import stream
from realtime.schema import INT, STR, TIME, enum, null, obj

MAP = declare(
    "opinion.map",
    "A subject's opinion map was recomputed and stored; data says which and when (the map "
    "itself is read from the map partial, rendered and suppressed on the server).",
    schema=obj(
        kind=STR,
        subject=INT,
        status=enum("pending", "ready", "no_impressions"),
        computed_at=null(TIME),
        version=INT,
    ),
)


def opinion_stream(kind: str, subject_id: int) -> str:
    """``opinion:<kind>-<subject id>``, e.g. ``opinion:board-12``."""
    return stream("opinion", f"{kind}-{int(subject_id)}")
