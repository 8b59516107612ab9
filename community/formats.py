"""Dates and numbers in one style per language, on the server and in live cards.

Numbers (:func:`number_text`): the language's decimal mark ("1.5" in English, "1,5" in
Spanish) and no thousands grouping in either language, which is also what live cards write
(plain integers): CLDR, the browser's source, leaves four-digit Spanish numbers ungrouped
while Django's Spanish format would group them, so neither side groups.

The styles are Django's per-language formats (``config/formats/<lang>/formats.py``), so
``{{ value|date }}``, ``{{ value|date:"DATETIME_FORMAT" }}`` and a bare ``{{ date }}`` all
agree. Live cards are drawn in the browser: :func:`js_pattern` turns the language's
DATETIME_FORMAT into a pattern with named slots that ``Live.formatDate`` (realtime/live.js)
fills from ``Intl.DateTimeFormat(…).formatToParts`` in the site's time zone, so a card drawn
live reads exactly as the server would have written it (before, the browser's own locale
wrote "12/6/2026, 2:35:41 PM" beside "6 December 2026").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone

# Django format letters a live card can reproduce, and the Intl part that fills each.
SLOTS = {"j": "day", "F": "month", "Y": "year", "H": "hour", "i": "minute"}


def date_text(value: date | datetime) -> str:
    """The day, in the active language's style ("6 December 2026", "6 de diciembre de 2026")."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def datetime_text(value: datetime) -> str:
    """The day and time, in the active language's style ("6 December 2026, 14:35")."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def month_day_text(value: date | datetime) -> str:
    """The day without the year ("6 December", "6 de diciembre"), for chart axes."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "MONTH_DAY_FORMAT")


def number_text(value: int | float | Decimal | str) -> str:
    """A number in the active language's style, without grouping; trailing zeros of a
    decimal dropped (1.50 → "1.5" / "1,5", 3.00 → "3")."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True, force_grouping=False)


def js_pattern(format_name: str = "DATETIME_FORMAT") -> str:
    """The active language's format as text with {day} {month} {year} {hour} {minute} slots.

    Raises ValueError for a letter the browser side cannot fill, so a new format that live
    cards could not match fails in tests, not on someone's screen.
    """
    fmt = formats.get_format(format_name)
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in SLOTS:
            out.append("{" + SLOTS[char] + "}")
        elif char.isalpha():
            raise ValueError(f"{format_name} uses {char!r}, which live cards cannot reproduce")
        else:
            out.append(char)
    return "".join(out)
