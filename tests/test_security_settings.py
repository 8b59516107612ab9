"""Production security headers and the limits operators can tune from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import env
from config.env import VARIABLES, ConfigError

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="civic.example")
print(json.dumps({
    "headers": dict(response.headers),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "realtime": settings.REALTIME,
    "rates": settings.RATE_LIMITS,
}))
"""


def _production(tmp_path, **extra: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    environment = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "kq3Jx9-probe-only-Zp81LmW0vR5tY2uB7nC4-kq3Jx9-probe-only-Zp81LmW0",
        "ALLOWED_HOSTS": "civic.example",
        "WEBHOOK_SECRET_KEYS": "dGVzdC1vbmx5LWtleS1mb3Itc3RhcnQtdXAtY2hlY2s=",
        "STARTUP_CHECK": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_frame_denial_referrer_policy_and_secure_cookies(tmp_path):
    probe = _production(tmp_path)
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert probe["session_secure"] and probe["csrf_secure"] and probe["session_httponly"]


def test_limits_are_set_from_the_environment(tmp_path):
    probe = _production(
        tmp_path,
        REALTIME_LIMITS="MAX_MESSAGE_BYTES=2048,MESSAGES_PER_SECOND=1.5,MAX_CONNECTIONS_PER_ACCOUNT=3",
        RATE_LIMITS="post=3/h,vote=10/m",
    )
    assert probe["realtime"]["MAX_MESSAGE_BYTES"] == 2048
    assert probe["realtime"]["MESSAGES_PER_SECOND"] == 1.5
    assert probe["realtime"]["MAX_CONNECTIONS_PER_ACCOUNT"] == 3
    assert probe["realtime"]["BURST"] == 20  # untouched defaults stay
    assert probe["rates"]["post"] == "3/h"
    assert probe["rates"]["vote"] == "10/m"
    assert probe["rates"]["report"] == "20/h"


def test_rate_limits_can_be_switched_off(tmp_path):
    probe = _production(tmp_path, RATE_LIMITS="off")
    assert set(probe["rates"].values()) == {None}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("BURST", "is not KEY=VALUE"),
        ("SPEED=3", "is not KEY=VALUE"),
        ("BURST=many", "must be a int number"),
        ("MESSAGES_PER_SECOND=0", "greater than zero"),
    ],
)
def test_malformed_realtime_limits_are_reported(monkeypatch, raw, message):
    monkeypatch.setenv("REALTIME_LIMITS", raw)
    with pytest.raises(ConfigError, match=message):
        env.read_mapping("REALTIME_LIMITS", {"BURST": 20, "MESSAGES_PER_SECOND": 5.0})


@pytest.mark.parametrize("raw", ["post=ten/h", "post=10/fortnight", "everything=1/h"])
def test_malformed_rate_limits_are_reported(monkeypatch, raw):
    monkeypatch.setenv("RATE_LIMITS", raw)
    with pytest.raises(ConfigError, match="RATE_LIMITS"):
        env.read_rates("RATE_LIMITS", {"post": "10/h"})
