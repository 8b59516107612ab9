"""Insight settings: ``settings.INSIGHT`` overrides these defaults key by key.

* ``MIN_CELL`` (5): a segment count under this is never shown ("fewer than 5").
* ``EMERGING_DAYS`` (14): emerging tags compare the last N days with the N days before.
* ``EMERGING_MIN`` (2): a tag needs at least this many new ideas to count as emerging.
* ``TIMELINE_DAYS`` (30): days shown in "participation over time".
* ``SEGMENT_DAYS`` (90): the window of segment breakdowns and "who is missing".
* ``UNDER_REPRESENTED`` (0.75): a group is "missing" when its share here is under this
  fraction of its share among all participants.
* ``MAP_MIN_PARTICIPANTS`` (10), ``MAP_MIN_IDEAS`` (3): below these an opinion map says
  "not enough votes yet" instead of drawing noise.
* ``CONSENSUS`` (0.6): an idea unites the groups when every group supports it at least this much.
* ``DIVISIVE_GAP`` (0.5): an idea divides them when group support differs by at least this.
"""

from django.conf import settings

DEFAULTS = {
    "MIN_CELL": 5,
    "EMERGING_DAYS": 14,
    "EMERGING_MIN": 2,
    "TIMELINE_DAYS": 30,
    "SEGMENT_DAYS": 90,
    "UNDER_REPRESENTED": 0.75,
    "MAP_MIN_PARTICIPANTS": 10,
    "MAP_MIN_IDEAS": 3,
    "CONSENSUS": 0.6,
    "DIVISIVE_GAP": 0.5,
}


def setting(name: str):
    return getattr(settings, "INSIGHT", {}).get(name, DEFAULTS[name])
