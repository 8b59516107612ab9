"""Opinion map settings: ``settings.OPINION`` overrides these defaults key by key.

* ``DEBOUNCE_SECONDS`` (2): a change waits this long before its map is recomputed, so a burst
  of votes costs one computation.
* ``STALE_QUEUE_SECONDS`` (300): a recompute queued longer ago than this is taken as lost (its
  enqueue failed, or the worker died) and the next change queues a new one.
* ``SEEN_BATCH_MAX`` (100): most idea ids one ``seen`` websocket message may carry.
* ``SEEN_PER_MINUTE`` (30): ``seen`` messages one socket may send a minute; more are refused.
"""

from django.conf import settings

DEFAULTS = {
    "DEBOUNCE_SECONDS": 2.0,
    "STALE_QUEUE_SECONDS": 300,
    "SEEN_BATCH_MAX": 100,
    "SEEN_PER_MINUTE": 30,
}


def setting(name: str):
    return getattr(settings, "OPINION", {}).get(name, DEFAULTS[name])
