"""The insight stream: live dashboard counters per agency (see docs/realtime.md, "Insight")."""

from __future__ import annotations

from realtime.events import declare, publish
from realtime.groups import stream

COUNTERS = declare(
    "insight.counters",
    "An agency's live participation counters changed; data is every counter's new value.",
)


def insight_stream(agency_id: int) -> str:
    return stream("insight", agency_id)


def publish_counters(agency_ids: set[int]) -> None:
    """After participation events are written: each affected agency's new counters (1 query
    each). Called after commit, so the publish goes out at once."""
    from ideas.insight.selectors import counters

    for agency_id in sorted(agency_ids):
        publish(
            stream=insight_stream(agency_id),
            type=COUNTERS,
            object_id=agency_id,
            data=counters(agency_id),
        )
