"""Insight settings: ``settings.INSIGHT`` overrides these defaults key by key.

* ``MIN_CELL`` (5): a segment count under this is never shown ("fewer than 5").
* ``EMERGING_DAYS`` (14): emerging tags compare the last N days with the N days before.
* ``EMERGING_MIN`` (2): a tag needs at least this many new ideas to count as emerging.
* ``TIMELINE_DAYS`` (30): days shown in "participation over time".
* ``SEGMENT_DAYS`` (90): the window of segment breakdowns and "who is missing".
* ``UNDER_REPRESENTED`` (0.75): a group is "missing" when its share here is under this
  fraction of its share among all participants.
"""

from django.conf import settings

DEFAULTS = {
    "MIN_CELL": 5,
    "EMERGING_DAYS": 14,
    "EMERGING_MIN": 2,
    "TIMELINE_DAYS": 30,
    "SEGMENT_DAYS": 90,
    "UNDER_REPRESENTED": 0.75,
}


def setting(name: str):
    return getattr(settings, "INSIGHT", {}).get(name, DEFAULTS[name])
