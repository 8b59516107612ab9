"""The served site and browser shared by every browser test (one migrate + seed per run).

The site is started the way ``make run`` starts it — ``config.devserver``: daphne and the
background task worker side by side — on a free loopback port, after ``migrate`` and
``seed_demo``. Which services it uses follows the suite's own mode:

- nothing set: a temporary SQLite file and the in-memory channel layer (``make run``);
- ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` set (CI's second pass): its own fresh
  database ``<name>_e2e`` on that server, created here and dropped afterwards, and Redis for
  the channel layer and cache under a prefix of its own.

Debug stays on so the console email backend prints every email into the server's log, where
:meth:`LiveSite.emails` reads them (a journey follows the confirmation link from there). The
processes are always stopped.
"""

from __future__ import annotations

import contextlib
import email
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from email import policy
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "northvale-demo"
TIMEOUT_MS = 15_000
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# What Django's console email backend writes between two messages.
_EMAIL_SEPARATOR = "-" * 79


def _require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (required in CI)")
        pytest.skip(f"{CHROMIUM} is not installed")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
    )


def _e2e_database(url: str) -> str:
    """A fresh database beside the suite's own (``civic_ci`` → ``civic_ci_e2e``)."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_e2e"
    with _postgres_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _postgres_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class LiveSite:
    """The served site: its base URL, how it runs, and the log both processes write to."""

    url: str
    log: Path
    database_url: str
    redis_url: str | None

    @property
    def mode(self) -> str:
        return "postgresql+redis" if self.database_url.startswith("postgres") else "sqlite"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def emails(self, to: str | None = None) -> list[email.message.EmailMessage]:
        """Every email the console backend printed so far (to ``to`` if given), oldest first."""
        found = []
        for chunk in self.output().split(_EMAIL_SEPARATOR):
            start = chunk.find("Content-Type:")
            if start < 0 or "\nSubject:" not in chunk:
                continue
            message = email.message_from_string(chunk[start:].strip() + "\n", policy=policy.default)
            if to is None or to in (message["To"] or ""):
                found.append(message)
        return found

    def wait_for_email(self, to: str, *, count: int = 1, seconds: float = 30):
        """The ``count``-th email to ``to`` once the task worker has sent it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            messages = self.emails(to)
            if len(messages) >= count:
                return messages[count - 1]
            time.sleep(0.2)
        raise AssertionError(
            f"no email #{count} to {to} within {seconds}s:\n{self.output()[-3000:]}"
        )


def email_text(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def first_link(text: str, base: str) -> str:
    match = re.search(re.escape(base) + r"/\S+", text)
    assert match, f"no link to {base} in:\n{text}"
    return match.group(0).rstrip(".,)>")


def _server_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    drop = {"REDIS_URL", "DATABASE_URL", "EMAIL_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "true",
            "STARTUP_CHECK": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["REDIS_KEY_PREFIX"] = f"e2e{os.getpid()}"
    return env


def _wait_until_up(url: str, server, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not server.running():
            raise RuntimeError(f"the site stopped early: {'; '.join(server.exited())}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the site did not start in time")


@pytest.fixture(scope="session")
def live_site():
    import subprocess

    from config.devserver import DevServer

    _require_chromium()
    workdir = Path(tempfile.mkdtemp(prefix="civic-e2e-"))
    suite_database = os.environ.get("DATABASE_URL", "")
    postgres = suite_database.startswith(("postgres://", "postgresql://"))
    database_url = (
        _e2e_database(suite_database) if postgres else f"sqlite:///{workdir / 'db.sqlite3'}"
    )
    redis_url = os.environ.get("REDIS_URL") or None
    env = _server_env(database_url, redis_url)
    server = None
    log_path = workdir / "site.log"
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=600
        )
        subprocess.run(
            [*manage, "seed_demo", "--quiet"], env=env, cwd=ROOT, check=True, timeout=900
        )
        log = log_path.open("w")
        port = _free_port()
        server = DevServer(host="127.0.0.1", port=port, extra_env=env, output=log)
        server.start()
        base = server.url
        _wait_until_up(f"{base}/healthz", server)
        yield LiveSite(url=base, log=log_path, database_url=database_url, redis_url=redis_url)
    finally:
        if server is not None:
            server.stop()
        if postgres:
            _drop_database(database_url)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server_url(live_site) -> str:
    return live_site.url


@pytest.fixture
def browser():
    """Headless Debian chromium (one per test: Playwright's sync API owns its loop)."""
    from playwright.sync_api import expect, sync_playwright

    _require_chromium()
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=login]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=TIMEOUT_MS)


def sign_up(page, site: LiveSite, address: str, name: str, password: str) -> str:
    """Sign up through the form and confirm through the console email; returns its text."""
    import re as _re

    from playwright.sync_api import expect

    page.goto(f"{site.url}/accounts/signup/")
    page.get_by_label("Email").first.fill(address)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.get_by_label("Public name").fill(name)
    page.locator("form:has(input[name=password1]) button[type=submit]").click()
    page.wait_for_url(_re.compile(r"/accounts/confirm-email/"))
    body = email_text(site.wait_for_email(address))
    page.goto(first_link(body, site.url))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text("confirmed")
    return body


@contextlib.contextmanager
def served_site(extra_env: dict[str, str], *, port: int | None = None):
    """Another served site like ``live_site`` (started the same way, with the task worker; its
    own SQLite file, migrated, demo seeded) with ``extra_env`` added to its environment, e.g.
    ``OIDC_PROVIDERS``; always stopped.

    ``port`` lets a caller that must name the site's address first (an OpenID provider's
    redirect URIs) choose it with :func:`_free_port`. Yields the base URL.
    """
    import subprocess

    from config.devserver import DevServer

    workdir = Path(tempfile.mkdtemp(prefix="civic-e2e-"))
    env = {**_server_env(f"sqlite:///{workdir / 'db.sqlite3'}", None), **extra_env}
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    try:
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=600
        )
        subprocess.run(
            [*manage, "seed_demo", "--quiet"], env=env, cwd=ROOT, check=True, timeout=900
        )
        log = (workdir / "site.log").open("w")
        server = DevServer(host="127.0.0.1", port=port or _free_port(), extra_env=env, output=log)
        server.start()
        _wait_until_up(f"{server.url}/healthz", server)
        yield server.url
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
