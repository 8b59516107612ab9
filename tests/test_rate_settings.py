"""Every rate setting reads ``N/period`` the same way, through one parser (issue 21, item 4)."""

from __future__ import annotations

import pytest

from config.env import ConfigError, parse_rate, read_mapping, read_rate, read_rates
from tests.test_settings import _manage

FORMS = {
    "5/s": (5, 1),
    "5/sec": (5, 1),
    "5/second": (5, 1),
    "5/seconds": (5, 1),
    "120/m": (120, 60),
    "120/min": (120, 60),
    "120/minute": (120, 60),
    "120/minutes": (120, 60),
    "60/h": (60, 3600),
    "60/hour": (60, 3600),
    "60/hours": (60, 3600),
    "1000/d": (1000, 86400),
    "1000/day": (1000, 86400),
    "1000/days": (1000, 86400),
    "5/10m": (5, 600),
    "5/10min": (5, 600),
    "120/MIN": (120, 60),
}


@pytest.mark.parametrize(("text", "expected"), FORMS.items())
def test_every_documented_form_is_one_rate(text, expected):
    assert parse_rate(text) == expected


@pytest.mark.parametrize(
    "text", ["", "120", "120/", "/min", "120/fortnight", "0/min", "5/0m", "x/m"]
)
def test_anything_else_is_refused_saying_how_to_write_it(text):
    with pytest.raises(ValueError, match="120/min"):
        parse_rate(text)


@pytest.mark.parametrize("text", ["120/min", "60/hour", "10/s", "5/10m"])
def test_api_rates_read_every_form(monkeypatch, text):
    monkeypatch.setenv("API_RATE_ANON", text)
    assert read_rate("API_RATE_ANON", "1/s") == text


def test_a_bad_api_rate_is_a_config_error_naming_the_variable(monkeypatch):
    monkeypatch.setenv("API_RATE_ANON", "lots")
    with pytest.raises(ConfigError, match="API_RATE_ANON"):
        read_rate("API_RATE_ANON", "1/s")


def test_rate_limit_groups_read_every_form(monkeypatch):
    monkeypatch.setenv("RATE_LIMITS", "post=10/hour,vote=60/min,comment=30/h,report=5/10m")
    rates = read_rates("RATE_LIMITS", dict.fromkeys(("post", "vote", "comment", "report"), "1/h"))
    assert {g: parse_rate(r) for g, r in rates.items()} == {
        "post": (10, 3600),
        "vote": (60, 60),
        "comment": (30, 3600),
        "report": (5, 600),
    }


def test_realtime_messages_per_second_may_be_a_rate(monkeypatch):
    monkeypatch.setenv("REALTIME_LIMITS", "MESSAGES_PER_SECOND=300/min,BURST=40")
    limits = read_mapping("REALTIME_LIMITS", {"MESSAGES_PER_SECOND": 5.0, "BURST": 20})
    assert limits == {"MESSAGES_PER_SECOND": 5.0, "BURST": 40}
    monkeypatch.setenv("REALTIME_LIMITS", "MESSAGES_PER_SECOND=often")
    with pytest.raises(ConfigError, match="120/min"):
        read_mapping("REALTIME_LIMITS", {"MESSAGES_PER_SECOND": 5.0})


def test_the_api_throttles_count_with_the_same_parser():
    from api.throttling import AnonymousThrottle

    assert AnonymousThrottle().parse_rate("5/10m") == (5, 600)
    assert AnonymousThrottle().parse_rate("120/min") == (120, 60)


def test_the_site_starts_with_the_documented_forms():
    result = _manage(
        "check",
        API_RATE_ANON="120/min",
        API_RATE_TOKEN="600/minute",
        API_RATE_WRITE="60/hour",
        RATE_LIMITS="post=10/hour,vote=60/min",
        REALTIME_LIMITS="MESSAGES_PER_SECOND=300/min",
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_rate_stops_start_up_with_one_line():
    result = _manage("check", API_RATE_ANON="lots")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "API_RATE_ANON" in lines[0], result.stderr
