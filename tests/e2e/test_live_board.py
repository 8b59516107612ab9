"""Two people on one live board, in headless Chromium against a real daphne server.

One signs in, posts an idea and supports another idea; the other, signed in on the same
board, sees the new idea and the new support count appear without reloading.

The server runs in a subprocess on a free loopback port with a temporary SQLite file
(migrated and seeded with the demo first) and the in-memory channel layer; it is always
stopped. Playwright's sync API runs in this plain (non-async) test.
"""

from __future__ import annotations

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

pytestmark = pytest.mark.browser


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


@pytest.fixture(scope="module")
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


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=login]) button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=TIMEOUT_MS)


def test_one_person_posts_and_supports_the_other_sees_both_without_reloading(live_server_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    base = live_server_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            script_errors: list = []
            poster_context, watcher_context = browser.new_context(), browser.new_context()
            poster, watcher = poster_context.new_page(), watcher_context.new_page()
            for page in (poster, watcher):
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda exc, p=page: script_errors.append((p.url, exc.stack)))
            _sign_in(poster, base, "citizen@northvale.example")
            _sign_in(watcher, base, "sam@northvale.example")

            # The watcher opens the bus challenge's board and waits until it is live.
            watcher.goto(f"{base}/ideas/?q=buses")
            watcher.get_by_role("link", name="How might we make the buses feel reliable").click()
            board_url = watcher.url.split("?")[0]
            watcher.goto(f"{board_url}?sort=newest")
            expect(watcher.locator("[data-live-status]")).to_have_attribute("data-state", "live")
            watcher.evaluate("window.__stillTheSamePage = true")

            # The poster posts an idea through the ordinary form.
            title = "Countdown clocks on the tram platforms"
            poster.goto(board_url)
            poster.get_by_role("link", name="Post an idea").click()
            poster.fill("input[name=title]", title)
            poster.fill(
                "textarea[name=body]", "Show minutes to the next tram, like the London Underground."
            )
            poster.get_by_role("button", name="Post idea", exact=True).click()
            expect(poster.locator("h1")).to_have_text(title)

            new_card = watcher.locator(".idea-card", has_text=title)
            expect(new_card).to_be_visible()
            expect(watcher.locator(".idea-list .idea-card").first).to_contain_text(title)

            # The poster supports someone else's idea on the live board.
            poster.goto(f"{board_url}?sort=newest")
            expect(poster.locator("[data-live-status]")).to_have_attribute("data-state", "live")
            button = poster.locator('button[data-action="vote"]').first
            card = button.locator("xpath=ancestor::li[@data-idea-id]")
            idea_id = card.get_attribute("data-idea-id")
            watched_count = watcher.locator(f'#idea-{idea_id} [data-field="support_count"]')
            before = int(watched_count.inner_text())
            button.click()
            expect(poster.locator(f'#idea-{idea_id} button[data-action="unvote"]')).to_be_visible()

            expect(watched_count).to_have_text(str(before + 1))
            assert watcher.evaluate("window.__stillTheSamePage") is True
            announcer = watcher.locator("#live-announcer")
            expect(announcer).not_to_be_empty()
            assert script_errors == []
        finally:
            browser.close()
