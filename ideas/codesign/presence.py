"""Who is here: ephemeral presence counters in the shared cache (not the database).

Each open socket of a joined participant counts once under ``cd:here:<session>:<participant>``
(shared by every server process); the counter expires ``PRESENCE_TTL`` seconds after the last
connect, so a crashed process cannot leave someone "here" for ever. Typing is not stored at
all: it is only an event.
"""

from __future__ import annotations

import contextlib

from django.core.cache import cache

from ideas.codesign.conf import setting

KEY = "cd:here:{session}:{participant}"


def _key(session_id: int, participant_id: int) -> str:
    return KEY.format(session=session_id, participant=participant_id)


async def arrive(session_id: int, participant_id: int) -> int:
    key = _key(session_id, participant_id)
    ttl = setting("PRESENCE_TTL")
    await cache.aadd(key, 0, timeout=ttl)
    count = await cache.aincr(key)
    await cache.atouch(key, ttl)
    return count


async def leave(session_id: int, participant_id: int) -> int:
    with contextlib.suppress(ValueError):  # expired meanwhile
        count = await cache.adecr(_key(session_id, participant_id))
        if count <= 0:
            await cache.adelete(_key(session_id, participant_id))
        return max(count, 0)
    return 0


def present(session_id: int, participant_ids: list[int]) -> set[int]:
    """Which of these participants have at least one socket open (one cache round trip)."""
    if not participant_ids:
        return set()
    keys = {_key(session_id, pk): pk for pk in participant_ids}
    found = cache.get_many(list(keys))
    return {keys[k] for k, v in found.items() if v and int(v) > 0}
