"""The main journey of each kind of user, in headless Chromium against the seeded demo.

The citizen's own journey (post an idea, support one, seen live by another) is
tests/e2e/test_live_board.py. Here: a report decided by a moderator, a service designer
moving a backlog item, an offer answered and a message received on the service exchange,
and an editor editing a page in the Wagtail admin. Each journey uses the ordinary forms, so
it also proves the pages work as a person would use them.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch
from tests.e2e.test_journey_editor import admin_page

pytestmark = pytest.mark.browser


def test_a_citizen_reports_an_idea_and_a_moderator_hides_it(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    reporter = watch.page(browser)
    sign_in(reporter, base, "sam@northvale.example")
    reporter.goto(f"{base}/ideas/?q=buses")
    reporter.get_by_role("link", name="How might we make the buses feel reliable").click()
    board_url = reporter.url
    reporter.locator(".idea-card h3 a, .idea-card h2 a").first.click()
    title = reporter.locator("h1").inner_text()
    reporter.get_by_role("link", name="Report this idea").click()
    reporter.get_by_label("What is wrong with it?").select_option("spam")
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.locator(".messages")).to_be_visible()

    moderator = watch.page(browser)
    sign_in(moderator, base, "moderator@northvale.example")
    moderator.goto(f"{base}/moderation/")
    moderator.locator("h2 a", has_text=title[:40]).first.click()
    moderator.get_by_label("Hide it, with the reason shown in its place").check()
    moderator.locator("select[name=reason]").select_option("spam")
    moderator.get_by_role("button", name="Record the decision").click()
    expect(moderator.locator(".messages")).to_be_visible()

    reporter.goto(board_url)
    expect(reporter.locator("main")).not_to_contain_text(title)
    watch.assert_clean()


def test_a_service_designer_moves_a_backlog_item(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    page = watch.page(browser)
    sign_in(page, base, "designer@northvale.example")
    page.goto(f"{base}/backlog/northvale-transport/")
    page.locator("main h3 a[href*='/backlog/items/']").first.click()
    status = page.locator("#move-status")
    options = status.locator("option")
    assert options.count() >= 1
    target_label = options.first.inner_text()
    status.select_option(index=0)
    page.fill("#move-message", "Moved in the browser journey.")
    before = page.locator("main p.meta .tag").first.inner_text()
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("main p.meta .tag").first).to_have_text(target_label)
    assert target_label != before
    watch.assert_clean()


def test_an_offer_is_answered_and_the_message_reaches_the_offerer(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    offerer = watch.page(browser)
    sign_in(offerer, base, "priya@northvale.example")
    offerer.goto(f"{base}/exchange/new/")
    offerer.locator("input[name=kind][value=offer]").check()
    title = "I can help set up a new phone"
    offerer.get_by_label("Title").fill(title)
    offerer.get_by_label("Description").fill("An hour at the library, any weekday afternoon.")
    offerer.get_by_role("button", name="Post", exact=True).click()
    expect(offerer.locator("h1")).to_have_text(title)
    post_url = offerer.url

    responder = watch.page(browser)
    sign_in(responder, base, "joe@northvale.example")
    responder.goto(post_url)
    responder.get_by_label("Your message").fill("Hello! Could we meet on Tuesday?")
    safety = responder.get_by_label("I have read the safety guidance above")
    if safety.count():
        safety.check()
    responder.get_by_role("button", name="Send", exact=True).click()
    expect(responder.locator("main")).to_contain_text("Could we meet on Tuesday?")

    offerer.goto(f"{base}/exchange/conversations/")
    offerer.locator("main a[href^='/exchange/conversations/']").first.click()
    expect(offerer.locator("main")).to_contain_text("Could we meet on Tuesday?")
    watch.assert_clean()


def test_an_editor_edits_a_page_in_the_wagtail_admin(live_server_url, browser):
    from playwright.sync_api import expect

    # Admin pages: console errors and 5xx only (Wagtail's Draftail has an axe finding we
    # cannot fix here; see test_journey_editor.admin_page).
    base, problems = live_server_url, []
    page = admin_page(browser, problems)
    sign_in(page, base, "editor@northvale.example")
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(f"{base}/admin/pages/search/?q=health")
    edit = page.locator("a[href*='/admin/pages/'][href$='/edit/']").first
    edit.click()
    title = page.locator("#id_title")
    new_title = title.input_value() + " (checked)"
    title.fill(new_title)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    expect(page.locator("#id_title")).to_have_value(new_title)
    assert problems == []
