"""Start-up configuration errors are one clear line naming the variable, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import VARIABLES

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "kq3Jx9-not-used-for-anything-but-this-check-Zp81LmW0vR5tY2uB7nC4",
    "ALLOWED_HOSTS": "civic.example",
    "WEBHOOK_SECRET_KEYS": "dGVzdC1vbmx5LWtleS1mb3Itc3RhcnQtdXAtY2hlY2s=",
    "STARTUP_CHECK": "true",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from the machine's environment minus every variable the settings read.
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
        ("WEBHOOK_SECRET_KEYS", "WEBHOOK_SECRET_KEYS is not set"),
    ],
)
def test_production_without_required_setting_stops_with_one_line(missing, expected):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    line = _one_line_error(_manage("check", **env))
    assert expected in line
    assert line.startswith("configuration error:")


def test_a_webhook_key_that_is_not_a_fernet_key_stops_with_one_line():
    env = {**PRODUCTION, "WEBHOOK_SECRET_KEYS": f"{PRODUCTION['WEBHOOK_SECRET_KEYS']},not-a-key"}
    line = _one_line_error(_manage("check", **env))
    assert "WEBHOOK_SECRET_KEYS key 2 is not a Fernet key" in line


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/civic", "postgres://", "postgres://host:notaport/db"]
)
def test_malformed_database_url_is_reported_as_such(url):
    line = _one_line_error(_manage("check", DATABASE_URL=url))
    assert "DATABASE_URL is malformed" in line


def test_malformed_database_url_hides_the_password():
    line = _one_line_error(_manage("check", DATABASE_URL="mysql://root:hunter2@localhost/civic"))
    assert "hunter2" not in line


def test_unreachable_database_names_the_variable_and_address():
    line = _one_line_error(
        _manage("migrate", DATABASE_URL="postgres://postgres:secret@127.0.0.1:1/civic")
    )
    assert "cannot reach the database at DATABASE_URL=" in line
    assert "127.0.0.1:1" in line
    assert "secret" not in line


def test_unreachable_redis_names_the_variable_and_address():
    line = _one_line_error(_manage("migrate", REDIS_URL="redis://127.0.0.1:1/0"))
    assert "cannot reach Redis at REDIS_URL=redis://127.0.0.1:1/0" in line


def test_malformed_redis_url_is_reported_as_such():
    line = _one_line_error(_manage("check", REDIS_URL="http://cache"))
    assert "REDIS_URL is malformed" in line


def test_deploy_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_defaults_need_nothing_set():
    result = _manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8100"}, "http://127.0.0.1:8100"),
        ({"HOST": "0.0.0.0", "PORT": "8100"}, "http://127.0.0.1:8100"),  # noqa: S104
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"PORT": "8100", "SITE_URL": "https://civic.example"}, "https://civic.example"),
    ],
)
def test_links_in_emails_follow_the_address_make_run_serves(env, expected):
    """SITE_URL (links in emails and feeds) follows HOST/PORT unless set explicitly."""
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_wagtail_admin_asks_no_third_party_for_avatars_or_releases():
    """Our CSP blocks Gravatar and wagtail.org: the admin must not try (broken avatar, console
    errors on every page)."""
    from django.conf import settings

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False


def test_a_web_process_builds_its_url_tables_before_the_first_request(monkeypatch):
    """config.asgi and config.wsgi build the reverse tables of every language at start-up, so
    no visitor's request (nor a crowd's first) waits while Django builds them."""
    from django.urls import URLResolver, clear_url_caches, get_resolver, reverse
    from django.utils import translation

    from config.startup import build_url_tables

    clear_url_caches()
    try:
        build_url_tables()
        root = get_resolver()

        def built_on_a_request(self):
            if self is root:
                pytest.fail("the root URL tables were built on a request")
            return populate(self)

        populate = URLResolver._populate
        monkeypatch.setattr(URLResolver, "_populate", built_on_a_request)
        for language in ("en", "es"):
            with translation.override(language):
                assert reverse("search:results")
    finally:
        clear_url_caches()


def test_building_the_url_tables_leaves_no_language_active_in_the_server_thread():
    """The tables are built per language in a thread of their own: an active translation left
    in the server's main thread made Channels' per-message ``sync_to_async`` hop cost four
    times as much (docs/performance.md, session 11)."""
    import threading

    from django.utils.translation import trans_real

    from config.startup import build_url_tables

    seen = {}

    def server_main_thread():
        build_url_tables()
        seen["active"] = getattr(trans_real._active, "value", None)

    thread = threading.Thread(target=server_main_thread)
    thread.start()
    thread.join()
    assert seen == {"active": None}
