"""Service-experience settings: ``settings.EXPERIENCE`` overrides these defaults key by key.

* ``WEEKS`` (13): the dashboard's window, a quarter, and its weekly trend.
* ``COMMENT_MAX`` (1000): characters of free text in one answer.
* ``THEME_SIMILARITY`` (0.3): cosine similarity (stemmed words, English and Spanish) above
  which two comments belong to the same theme.
* ``THEME_POOL`` (500): the most recent comments of a service compared with a new one.
* ``FOLLOW_UP_DAYS`` (7): how long a follow-up text waits for its digit.
* ``SIGNIFICANCE_Z`` (1.96): a week's change in mean satisfaction is marked when Welch's z
  over the week before is at least this (about 95 %), both weeks having ``MIN_CELL`` answers.
"""

from django.conf import settings

DEFAULTS = {
    "WEEKS": 13,
    "COMMENT_MAX": 1000,
    "THEME_SIMILARITY": 0.3,
    "THEME_POOL": 500,
    "FOLLOW_UP_DAYS": 7,
    "SIGNIFICANCE_Z": 1.96,
}


def setting(name: str):
    return getattr(settings, "EXPERIENCE", {}).get(name, DEFAULTS[name])
