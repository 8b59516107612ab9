"""The live server and browser shared by every browser test (one migrate + seed per run).

The server runs in a subprocess on a free loopback port with a temporary SQLite file
(migrated and seeded with the demo first) and the in-memory channel layer; it is always
stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "northvale-demo"
TIMEOUT_MS = 15_000


def _require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing (required in CI)")
        pytest.skip(f"{CHROMIUM} is not installed")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_DEBUG": "true",
            "STARTUP_CHECK": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("daphne did not start in time")


@pytest.fixture(scope="session")
def live_server_url():
    _require_chromium()
    workdir = Path(tempfile.mkdtemp(prefix="civic-e2e-"))
    env = _server_env(workdir / "db.sqlite3")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=600
    )
    subprocess.run([*manage, "seed_demo", "--quiet"], env=env, cwd=ROOT, check=True, timeout=300)
    port = _free_port()
    log = (workdir / "daphne.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/healthz", server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=login]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=TIMEOUT_MS)


BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


DAPHNE = [sys.executable, "-m", "daphne", "-b", "127.0.0.1"]


@contextlib.contextmanager
def served_site(extra_env: dict[str, str], *, port: int | None = None):
    """Another served site like ``live_server_url``'s (own SQLite file, migrated, demo seeded)
    with ``extra_env`` added to its environment, e.g. ``OIDC_PROVIDERS``; always stopped.

    ``port`` lets a caller that must name the site's address first (an OpenID provider's
    redirect URIs) choose it with :func:`_free_port`. Yields the base URL.
    """
    workdir = Path(tempfile.mkdtemp(prefix="civic-e2e-"))
    env = {**_server_env(workdir / "db.sqlite3"), **extra_env}
    manage = [sys.executable, str(ROOT / "manage.py")]
    log = (workdir / "daphne.log").open("w")
    server = None
    try:
        subprocess.run(
            [*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=600
        )
        subprocess.run(
            [*manage, "seed_demo", "--quiet"], env=env, cwd=ROOT, check=True, timeout=300
        )
        port = port or _free_port()
        server = subprocess.Popen(
            [*DAPHNE, "-p", str(port), "config.asgi:application"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/healthz", server)
        yield base
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
