"""Relative times ("3 hours ago") as Django's ``naturaltime`` writes them, remembered.

``naturaltime`` builds its text from translated, pluralised pieces on every call: about
0.1 ms each, and a board page shows one per card (a fifth of the page's time before this,
docs/performance.md). The text only changes when the distance from the time shown crosses a
whole second (under a minute) or a whole minute (from a minute on: hours, days and calendar
months all begin at whole-minute distances). :func:`ago` keeps each text for the span of
that unit, per language: the same text naturaltime would give, computed by naturaltime.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone, translation
from django.utils.html import escape

# Entries are small; a full table is emptied rather than trimmed (a page needs few at once).
MAX_ENTRIES = 20_000
_texts: dict[tuple, str] = {}
# The same texts, HTML-escaped (ago_html).
_escaped: dict[str, str] = {}


def _span(value: datetime, now: datetime) -> tuple:
    """Which span of constant text ``now`` falls in for ``value``.

    Past and future count their own way (naturaltime floors the distance in either
    direction), so they are told apart; under a minute the unit is the second.
    """
    seconds = (now - value).total_seconds()
    direction = "past" if seconds > 0 else "future"
    distance = abs(seconds)
    if distance < 60:
        return direction, "s", math.floor(distance)
    return direction, "m", math.floor(distance / 60)


def ago(value: datetime | None) -> str:
    """``naturaltime(value)`` for an aware datetime, from memory while it is still current."""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return naturaltime(value)
    language = translation.get_language()
    before = timezone.now()
    key = (language, value, *_span(value, before))
    text = _texts.get(key)
    if text is not None:
        return text
    text = naturaltime(value)
    # Keep it only if the clock did not move into another span while it was written.
    if _span(value, timezone.now()) == key[2:]:
        if len(_texts) >= MAX_ENTRIES:
            _texts.clear()
        _texts[key] = text
    return text


def ago_html(values: list[datetime]) -> list[str]:
    """``ago`` of each of ``values`` (aware datetimes), HTML-escaped: one clock and language
    read for all (a cached board page fills twenty at once, ideas.boardcache)."""
    language = translation.get_language()
    before = timezone.now()
    texts = []
    for value in values:
        key = (language, value, *_span(value, before))
        text = _texts.get(key)
        if text is None:
            text = ago(value)
        text = str(text)  # naturaltime's "now" is a lazy translation
        escaped = _escaped.get(text)
        if escaped is None:
            if len(_escaped) >= MAX_ENTRIES:
                _escaped.clear()
            escaped = _escaped[text] = escape(text)
        texts.append(escaped)
    return texts
