"""Two people on one live board, in headless Chromium against a real daphne server.

One signs in, posts an idea and supports another idea; the other, signed in on the same
board, sees the new idea and the new support count appear without reloading.

The server runs in a subprocess on a free loopback port with a temporary SQLite file
(migrated and seeded with the demo first) and the in-memory channel layer; it is always
stopped. Playwright's sync API runs in this plain (non-async) test.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in as _sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser


def test_one_person_posts_and_supports_the_other_sees_both_without_reloading(
    live_server_url, browser
):
    from playwright.sync_api import expect

    base = live_server_url
    watch = Watch()
    poster, watcher = watch.page(browser), watch.page(browser)
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
    watch.settle(watcher)
    watch.assert_clean()


def test_api_docs_render_from_local_assets_without_csp_violations(live_server_url, browser):
    """The open-data API docs (Swagger UI from drf-spectacular-sidecar) work under the
    site's strict CSP and fetch nothing from another host."""
    from playwright.sync_api import expect

    page = browser.new_page()
    console: list[str] = []
    hosts: set[str] = set()
    page.on("console", lambda msg: console.append(msg.text))
    page.on("request", lambda req: hosts.add(req.url.split("/")[2]))
    page.goto(f"{live_server_url}/api/v1/docs/")
    expect(page.get_by_text("/api/v1/ideas/", exact=True).first).to_be_visible()
    assert not [line for line in console if "Content Security Policy" in line], console
    assert hosts == {live_server_url.split("/")[2]}
