"""Version stamps: numbers that change whenever some public data changes.

Pages that cache what they render put the stamps of what they show in the cache key, so a
change shows at once: entries under the old stamp are never read again and simply expire.
Idea boards use their realtime sequence number (``realtime.events.current_sequence``) as their
stamp; data that changes without a realtime event has a stamp here, moved by whatever changes
the data, after it commits.

* :data:`PUBLIC_NAMES`: the public name of any persona (renamed, anonymised when its account
  is deleted, or edited in the Django admin). Cards and panels that show "by <name>" key on it.
* :data:`PAGES`: anything editors publish in the CMS (pages, agencies, life events, brand
  values; moved by ``cms.caching``). Fragments that show a page's title or address key on it.

Apps may keep stamps of their own under other names.

A stamp starts from the time it is first needed (in microseconds), not from zero, so a stamp
lost from the cache (evicted, or Redis restarted) comes back as a number it never had before
and cannot bring old entries back to life. Read a stamp *before* reading the data it covers:
a change committing in between then leaves newer data under the older stamp, never older data
under the newer one.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import cache, caches
from django.db import transaction

PUBLIC_NAMES = "public-names"
PAGES = "pages"

KEY = "version:{name}"
# The stamp while the cache is unreachable: never one an entry was stored under.
UNAVAILABLE = -1
logger = logging.getLogger(__name__)

# Stamps this process could not move (the cache was unreachable when their change committed).
# Until they are moved on (:func:`catch_up`), this process reads them as UNAVAILABLE: an entry
# stored under the old stamp before the change would otherwise look current for ever after
# (a board's cached total one short, and every live client that took it: make faults).
_missed: set[str] = set()
_missed_lock = threading.Lock()


def _reachable() -> bool:
    """False while the cache treats Redis as away (``config.cache.FailSoftClient`` then
    answers as an empty cache that keeps nothing, so a write "succeeds" without happening)."""
    reachable = getattr(getattr(caches["default"], "client", None), "reachable", None)
    return reachable() if reachable is not None else True


def _fresh() -> int:
    return time.time_ns() // 1000


def current(name: str) -> int:
    """The stamp of ``name`` now (0 only when the cache stores nothing, e.g. a dummy cache)."""
    if _missed and name in catch_up():
        return UNAVAILABLE
    key = KEY.format(name=name)
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, _fresh(), timeout=None)
            value = cache.get(key)
    except Exception:  # cache down
        logger.warning("cache unavailable: version stamp unknown")
        return UNAVAILABLE
    return int(value or 0)


def store(key: str, value: Any, timeout: int) -> None:
    """``cache.set`` that never fails a page: with the cache down the entry is simply not kept."""
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("cache unavailable: entry not stored")


def store_many(values: dict[str, Any], timeout: int) -> None:
    try:
        cache.set_many(values, timeout=timeout)
    except Exception:
        logger.warning("cache unavailable: entries not stored")


def read(
    names: list[str], counters: list[str] = (), entries: list[str] = ()
) -> tuple[dict[str, int], dict[str, Any]]:
    """All in one cache round trip: the stamps of ``names`` and the values of other integer
    cache keys (``counters``, 0 when missing, such as realtime sequence numbers), keyed by
    name or cache key; and whatever the cache holds under ``entries``.

    An entry stored together with the stamps it was built under (see :func:`fresh`) can so
    be checked against the current stamps without a second round trip.
    """
    stale = catch_up() if _missed else set()
    keys = {KEY.format(name=name): name for name in names}
    try:
        found = cache.get_many([*keys, *counters, *entries])
    except Exception:  # cache down: nothing is cached, every stamp unknown (pages still work)
        logger.warning("cache unavailable: building without cached entries")
        return {**dict.fromkeys(counters, 0), **dict.fromkeys(names, UNAVAILABLE)}, {}
    values = {key: int(found.pop(key, 0)) for key in counters}
    for key, name in keys.items():
        stamp = found.pop(key, None)
        if name in stale:
            values[name] = UNAVAILABLE
        else:
            values[name] = int(stamp) if stamp is not None else current(name)
    return values, found


def fresh(entry: Any, stamps: tuple) -> Any:
    """The value of an entry stored as ``(stamps, value)``, or None unless ``stamps`` are
    the ones it was built under."""
    if entry is None or entry[0] != stamps:
        return None
    return entry[1]


def bump(name: str) -> None:
    """Move the stamp of ``name`` once the current transaction commits (at once outside one).

    Call from the service that changes the data, inside its transaction: a rolled-back change
    moves nothing, and a reader can never pair the new stamp with the data before the change.
    """
    transaction.on_commit(lambda: _increment(name))


def _increment(name: str) -> bool:
    """Move the stamp of ``name``; False (and remembered for :func:`catch_up`) if the cache
    could not be reached."""
    key = KEY.format(name=name)
    try:
        if not _reachable():
            raise ConnectionError("cache unreachable")
        try:
            cache.incr(key)
        except ValueError:  # never read yet, or lost: any fresh number differs from earlier ones
            if not cache.add(key, _fresh(), timeout=None):
                cache.incr(key)
        if not _reachable():  # the call itself found Redis away and kept nothing
            raise ConnectionError("cache unreachable")
    except Exception:  # cache down: the change stands; the stamp is moved once it is back
        with _missed_lock:
            _missed.add(name)
        logger.warning("cache unavailable: version stamp not moved", extra={"stamp": name})
        return False
    return True


def catch_up() -> set[str]:
    """Move on the stamps whose change this process could not record; returns those still
    not moved (the cache is still away), which callers must treat as unknown."""
    with _missed_lock:
        names = set(_missed)
    if not names or not _reachable():
        return names
    left = set()
    for name in names:
        with _missed_lock:
            _missed.discard(name)
        if not _increment(name):
            left.add(name)
    return left
