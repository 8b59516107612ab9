"""One date style per language, on the server and in live cards (community.formats)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from community.formats import date_text, datetime_text, js_pattern, number_text

WHEN = datetime(2026, 12, 6, 14, 35, 41, tzinfo=UTC)  # 14:35 in London in December


@pytest.mark.parametrize(
    ("language", "day", "moment", "pattern"),
    [
        (
            "en",
            "6 December 2026",
            "6 December 2026, 14:35",
            "{day} {month} {year}, {hour}:{minute}",
        ),
        (
            "es",
            "6 de diciembre de 2026",
            "6 de diciembre de 2026, 14:35",
            "{day} de {month} de {year}, {hour}:{minute}",
        ),
    ],
)
def test_each_language_has_one_style_for_days_and_moments(language, day, moment, pattern):
    with translation.override(language):
        assert date_text(WHEN) == day
        assert date_text(date(2026, 12, 6)) == day
        assert datetime_text(WHEN) == moment
        assert js_pattern() == pattern
        # Templates agree whichever way they ask: bare, |date, or |date:"DATETIME_FORMAT".
        rendered = Template(
            '{{ d }}|{{ d|date }}|{{ w|date }}|{{ w|date:"DATETIME_FORMAT" }}'
        ).render(Context({"d": date(2026, 12, 6), "w": WHEN}))
        assert rendered == f"{day}|{day}|{day}|{moment}"


def test_the_live_pattern_filled_with_the_servers_parts_is_the_servers_text():
    """What live.js builds from the pattern is what the server writes (parts from Django)."""
    from django.utils import dateformat, timezone

    local = timezone.localtime(WHEN)
    for language in ("en", "es"):
        with translation.override(language):
            parts = {
                "day": dateformat.format(local, "j"),
                "month": dateformat.format(local, "F"),
                "year": dateformat.format(local, "Y"),
                "hour": dateformat.format(local, "H"),
                "minute": dateformat.format(local, "i"),
            }
            assert js_pattern().format(**parts) == datetime_text(WHEN)


@pytest.mark.django_db
def test_every_page_carries_the_pattern_and_time_zone_for_live_cards(client):
    client.cookies["django_language"] = "es"
    html = client.get("/accounts/login/").content.decode()
    assert 'data-datetime-pattern="{day} de {month} de {year}, {hour}:{minute}"' in html
    assert 'data-time-zone="Europe/London"' in html


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", Decimal("1.50"), "1.5"),
        ("es", Decimal("1.50"), "1,5"),
        ("en", Decimal("-2.00"), "-2"),
        ("es", Decimal("12345.25"), "12345,25"),
        ("en", 12345, "12345"),
        ("es", "0.5", "0,5"),
    ],
)
def test_numbers_use_the_languages_decimal_mark_and_no_grouping(language, value, text):
    with translation.override(language):
        assert number_text(value) == text


def test_hours_on_exchange_pages_read_in_the_persons_language():
    template = Template("{% load exchange_tags %}{{ h|hours }}")
    with translation.override("es"):
        assert template.render(Context({"h": "1.50"})) == "1,5"
    with translation.override("en"):
        assert template.render(Context({"h": "1.50"})) == "1.5"
