"""A newcomer's first visit, against the served site (``config.devserver``: daphne and the task
worker), in headless Chromium, watched live by an anonymous visitor in a second browser.

Sign up → the confirmation email on the console (sent by the task worker) → confirm →
a second persona → post an idea (similar ideas suggested while typing) → support another idea
→ comment. The anonymous visitor sees the new idea, the support count and the comment appear
without reloading. Every page is guarded (tests/e2e/guards.py).
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import sign_up
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

BOARD_QUESTION = "How might we make the buses feel reliable"


def test_a_newcomer_signs_up_posts_supports_and_comments_seen_live_by_a_visitor(live_site, browser):
    from playwright.sync_api import expect

    base = live_site.url
    watch = Watch()
    tag = uuid.uuid4().hex[:6]
    address, password = f"newcomer-{tag}@example.org", f"a-long-unusual-passphrase-{tag}"
    first_name, second_name = f"Riverside Rider {tag}", f"Parent on the 12 {tag}"

    # The visitor, not signed in, opens the bus board and waits until it is live.
    visitor = watch.page(browser)
    visitor.goto(f"{base}/ideas/?q=buses")
    visitor.get_by_role("link", name=BOARD_QUESTION).click()
    board_url = visitor.url.split("?")[0]
    visitor.goto(f"{board_url}?sort=newest")
    expect(visitor.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    visitor.evaluate("window.__stillTheSamePage = true")

    # Sign up; the task worker prints the confirmation email to the console.
    citizen = watch.page(browser)
    body = sign_up(citizen, live_site, address, first_name, password)
    assert body.startswith(f"Hello {first_name},"), body
    assert "Hello from" not in body

    # A second persona.
    citizen.goto(f"{base}/accounts/personas/")
    citizen.get_by_label("Public name").fill(second_name)
    citizen.get_by_role("button", name="Create persona").click()
    expect(citizen.locator("main .card-list")).to_contain_text(second_name)

    # Post an idea as the second persona; similar ideas are suggested while typing the title.
    citizen.goto(board_url)
    citizen.get_by_role("link", name="Post an idea").click()
    citizen.get_by_label("Post as").select_option(label=second_name)
    title = f"Live arrival times at every bus stop {tag}"
    citizen.get_by_label("Title").press_sequentially("Live bus times", delay=30)
    expect(citizen.locator("[data-similar-results] .similar-list li").first).to_be_visible()
    citizen.get_by_label("Title").fill(title)
    citizen.get_by_label("Your idea").fill("A screen at each stop showing minutes to the next bus.")
    citizen.get_by_role("button", name="Post idea", exact=True).click()
    expect(citizen.locator("h1")).to_have_text(title)
    idea_url = citizen.url
    expect(citizen.locator("main")).to_contain_text(second_name)

    new_card = visitor.locator(".idea-card", has_text=title)
    expect(new_card).to_be_visible()

    # Support someone else's idea on the board; the visitor's count moves.
    citizen.goto(f"{board_url}?sort=newest")
    expect(citizen.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    button = citizen.locator('button[data-action="vote"]').first
    idea_id = button.locator("xpath=ancestor::li[@data-idea-id]").get_attribute("data-idea-id")
    watched = visitor.locator(f'#idea-{idea_id} [data-field="support_count"]')
    before = int(watched.inner_text())
    button.click()
    expect(citizen.locator(f'#idea-{idea_id} button[data-action="unvote"]')).to_be_visible()
    expect(watched).to_have_text(str(before + 1))
    assert visitor.evaluate("window.__stillTheSamePage") is True

    # Comment on the new idea while the visitor reads it.
    with visitor.expect_websocket() as socket:
        visitor.goto(idea_url)
    socket.value.wait_for_event("framereceived")  # the snapshot: the page is live
    visitor.evaluate("window.__stillTheSamePage = true")
    citizen.goto(idea_url)
    comment = f"Even a paper timetable that is kept up to date would help {tag}."
    citizen.locator("form.comment-form").get_by_label("Comment").fill(comment)
    citizen.get_by_role("button", name="Post comment").click()
    expect(citizen.locator("[data-comment-list]")).to_contain_text(comment)
    expect(visitor.locator("[data-comment-list]")).to_contain_text(comment)
    expect(visitor.locator('[data-field="comment_count"]')).to_have_text("1")
    assert visitor.evaluate("window.__stillTheSamePage") is True

    watch.settle(citizen)
    watch.assert_clean()


def test_a_citizen_exports_their_data_then_deletes_their_account(live_site, browser):
    from playwright.sync_api import expect

    base = live_site.url
    watch = Watch()
    tag = uuid.uuid4().hex[:6]
    address, password = f"leaving-{tag}@example.org", f"a-long-unusual-passphrase-{tag}"
    name = f"Hillcrest Walker {tag}"
    citizen = watch.page(browser, accept_downloads=True)
    sign_up(citizen, live_site, address, name, password)

    # Something public to export, and to see anonymised afterwards.
    citizen.goto(f"{base}/ideas/?q=buses")
    citizen.get_by_role("link", name=BOARD_QUESTION).click()
    citizen.get_by_role("link", name="Post an idea").click()
    title = f"Benches at the Hillcrest bus stops {tag}"
    citizen.get_by_label("Title").fill(title)
    citizen.get_by_label("Your idea").fill("Somewhere to sit while waiting, for older riders.")
    citizen.get_by_role("button", name="Post idea", exact=True).click()
    expect(citizen.locator("h1")).to_have_text(title)
    idea_url = citizen.url

    # Export: the download arrives and is valid JSON holding their account and their idea.
    citizen.goto(f"{base}/accounts/privacy/")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Download all your data (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    text = json.dumps(exported, ensure_ascii=False)
    assert address in text and name in text and title in text

    # Delete the account.
    citizen.goto(f"{base}/accounts/privacy/")
    citizen.get_by_role("link", name="Delete my account").click()
    citizen.get_by_label("Your password").fill(password)
    citizen.get_by_label("I understand my account and personal data will be deleted").check()
    citizen.get_by_role("button", name="Delete my account").click()
    expect(citizen.locator(".messages")).to_be_visible()

    # They can no longer sign in; their idea stays, by a former participant.
    other = watch.page(browser)
    other.goto(f"{base}/accounts/login/")
    other.fill("input[name=login]", address)
    other.fill("input[name=password]", password)
    other.click("form:has(input[name=login]) button[type=submit]")
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
    expect(other.locator("form:has(input[name=login])")).to_contain_text("not correct")
    other.goto(idea_url)
    expect(other.locator("h1")).to_have_text(title)
    expect(other.locator("main .meta").first).not_to_contain_text(name)
    expect(other.locator("main .meta").first).to_contain_text("Former participant")

    watch.settle(other)
    watch.assert_clean()
