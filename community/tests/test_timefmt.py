"""Remembered relative times read exactly as humanize's naturaltime at the same moment."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.humanize.templatetags import humanize
from django.template import Context, Template
from django.utils import translation

from community import timefmt


class Clock:
    """One clock for both naturaltime (``datetime.now``) and ``timezone.now``."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        clock = self

        class FrozenDatetime(datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.now.astimezone(tz) if tz else clock.now.replace(tzinfo=None)

        self.patches = [
            mock.patch.object(humanize, "datetime", FrozenDatetime),
            mock.patch("django.utils.timezone.now", lambda: clock.now),
        ]

    def __enter__(self):
        for patch in self.patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.stop()


@pytest.fixture(autouse=True)
def empty_memory():
    timefmt._texts.clear()
    yield
    timefmt._texts.clear()


# Distances from a second to years, both sides of "now", with odd seconds and microseconds.
DISTANCES = [
    timedelta(0),
    timedelta(microseconds=300),
    timedelta(seconds=1),
    timedelta(seconds=59, microseconds=999_999),
    timedelta(seconds=60),
    timedelta(minutes=59, seconds=59),
    timedelta(hours=1),
    timedelta(hours=23, minutes=59, seconds=30),
    timedelta(days=1),
    timedelta(days=6, hours=23),
    timedelta(days=7),
    timedelta(days=30, hours=12),
    timedelta(days=31),
    timedelta(days=365),
    timedelta(days=400, minutes=7, seconds=13),
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_remembered_time_reads_as_naturaltime_at_every_later_moment_of_its_span(language):
    rng = random.Random(7)
    start = datetime(2026, 3, 31, 23, 58, 41, 250_000, tzinfo=UTC)
    values = [start - d for d in DISTANCES] + [start + d for d in DISTANCES]
    values += [start - timedelta(seconds=rng.uniform(0, 90_000_000)) for _ in range(200)]
    values += [start + timedelta(seconds=rng.uniform(0, 90_000)) for _ in range(50)]
    checked = 0
    with translation.override(language), Clock(start) as clock:
        for value in values:
            clock.now = start
            first = timefmt.ago(value)
            assert first == humanize.naturaltime(value)
            # Later moments: the same span (answered from memory) and the spans after it.
            for step in (0.2, 0.9, 1.0, 30, 59.9, 60, 61, 3600, 86_400, 86_400 * 31):
                clock.now = start + timedelta(seconds=step)
                assert timefmt.ago(value) == humanize.naturaltime(value), (value, clock.now)
                checked += 1
    assert checked == len(values) * 10
    assert timefmt._texts, "nothing was remembered"


def test_texts_are_remembered_per_language():
    now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    value = now - timedelta(hours=3)
    with Clock(now):
        with translation.override("en"):
            english = timefmt.ago(value)
        with translation.override("es"):
            spanish = timefmt.ago(value)
        with translation.override("en"):
            assert timefmt.ago(value) == english
        with translation.override("es"):
            assert spanish == humanize.naturaltime(value)
    assert english == "3\xa0hours ago"
    assert spanish != english


def test_a_text_written_while_the_clock_moved_into_the_next_span_is_not_kept():
    now = datetime(2026, 5, 4, 12, 0, 0, 999_000, tzinfo=UTC)
    value = now - timedelta(seconds=5, milliseconds=998)
    with Clock(now) as clock:
        real = humanize.naturaltime

        def slow_naturaltime(when):
            clock.now = now + timedelta(milliseconds=5)  # 6.003 s after it: the next span
            return real(when)

        with mock.patch.object(timefmt, "naturaltime", slow_naturaltime):
            assert timefmt.ago(value) == "6\xa0seconds ago"
        assert timefmt._texts == {}


def test_the_ago_filter_and_plain_values():
    now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    with Clock(now), translation.override("en"):
        rendered = Template("{% load community_tags %}{{ when|ago }}").render(
            Context({"when": now - timedelta(minutes=2)})
        )
        assert rendered == "2\xa0minutes ago"
        assert timefmt.ago(None) == humanize.naturaltime(None)
        assert timefmt.ago("not a time") == "not a time"


def test_the_same_distance_before_and_after_reads_differently():
    value = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    with Clock(value - timedelta(seconds=90)) as clock, translation.override("en"):
        assert timefmt.ago(value) == "a minute from now"
        clock.now = value + timedelta(seconds=90)
        assert timefmt.ago(value) == "a minute ago"
