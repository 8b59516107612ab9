"""The insight stream: live dashboard counters per agency (see docs/realtime.md, "Insight")."""

from __future__ import annotations

import contextlib

from django.core.cache import cache

from realtime.events import declare, publish
from realtime.groups import stream
from realtime.schema import INT, obj

_COUNTS = obj(actions=INT, ideas=INT, supports=INT, comments=INT, people=INT)

COUNTERS = declare(
    "insight.counters",
    "An agency's live participation counters changed; data is every counter's new value.",
    schema=obj(today=_COUNTS, week=_COUNTS),
)


def insight_stream(agency_id: int) -> str:
    return stream("insight", agency_id)


# How many dashboards follow an agency's counters, across processes. Kept for a day after the
# last change, so a crashed process can only make counters be computed for nobody, never
# leave an open dashboard without updates.
WATCHERS_KEY = "insight:watchers:{agency_id}"
WATCHERS_TTL = 24 * 3600


async def watching(agency_id: int) -> None:
    key = WATCHERS_KEY.format(agency_id=agency_id)
    await cache.aadd(key, 0, timeout=WATCHERS_TTL)
    await cache.aincr(key)
    await cache.atouch(key, WATCHERS_TTL)


async def stopped_watching(agency_id: int) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile
        await cache.adecr(WATCHERS_KEY.format(agency_id=agency_id))


def publish_counters(agency_ids: set[int]) -> None:
    """After participation events are written: each affected agency's new counters (1 query
    each), for agencies whose dashboard someone has open. Counting a week's events on every
    vote, note and comment for nobody cost a query per action on the busiest paths
    (docs/performance.md); a dashboard that opens later gets them in its snapshot."""
    from ideas.insight.selectors import counters

    keys = {WATCHERS_KEY.format(agency_id=a): a for a in agency_ids}
    watched = cache.get_many(list(keys))
    for key, agency_id in sorted(keys.items(), key=lambda kv: kv[1]):
        if (watched.get(key) or 0) <= 0:
            continue
        publish(
            stream=insight_stream(agency_id),
            type=COUNTERS,
            object_id=agency_id,
            data=counters(agency_id),
        )
