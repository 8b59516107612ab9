"""Journey (d): a report, a moderator hides the idea, the board and the open idea page
update live for the people watching them, and the author appeals.

Five browser contexts: the author, the reporter, the moderator, and two anonymous visitors
who keep the board and the idea page open (no reload) while the decision is made.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

BOARD = "How might we make the buses feel reliable"


def _guarded(watch: Watch, browser, **options):
    page = watch.page(browser, **options)
    return page


def test_a_hidden_idea_disappears_live_and_its_author_appeals(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()

    author = _guarded(watch, browser)
    sign_in(author, base, "joe@northvale.example")
    author.goto(f"{base}/ideas/?q=buses")
    author.get_by_role("link", name=BOARD).first.click()
    board_url = author.url
    author.get_by_role("link", name="Post an idea").click()
    title = "Journey idea: a timetable poster at every stop"
    author.get_by_label("Title").fill(title)
    author.get_by_label("Your idea").fill("Print the timetable at each stop, updated monthly.")
    author.get_by_role("button", name="Post idea").click()
    author.wait_for_url(re.compile(r"/ideas/\d+/"))
    idea_url = author.url.split("#")[0]
    expect(author.locator("h1")).to_have_text(title)

    board_viewer = _guarded(watch, browser)
    board_viewer.goto(board_url)
    expect(board_viewer.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    expect(board_viewer.locator(".idea-card", has_text=title)).to_have_count(1)

    idea_viewer = _guarded(watch, browser)
    idea_viewer.goto(idea_url)
    expect(idea_viewer.locator(".idea__body")).to_be_visible()
    idea_viewer.wait_for_function("() => window.Live !== undefined")

    reporter = _guarded(watch, browser)
    sign_in(reporter, base, "sam@northvale.example")
    reporter.goto(idea_url)
    reporter.get_by_role("link", name="Report this idea").click()
    reporter.get_by_label("What is wrong with it?").select_option("spam")
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.locator(".messages")).to_be_visible()

    moderator = _guarded(watch, browser)
    sign_in(moderator, base, "moderator@northvale.example")
    moderator.goto(f"{base}/moderation/")
    moderator.locator("h2 a", has_text=title[:40]).first.click()
    moderator.get_by_label("Hide it, with the reason shown in its place").check()
    moderator.locator("select[name=reason]").select_option("spam")
    moderator.get_by_role("button", name="Record the decision").click()
    expect(moderator.locator(".messages")).to_be_visible()

    # Live, without a reload: gone from the board; on the idea page the reason in place.
    expect(board_viewer.locator(".idea-card", has_text=title)).to_have_count(0)
    notice = idea_viewer.locator(".moderation-notice")
    expect(notice).to_be_visible()
    expect(notice).not_to_be_empty()
    expect(idea_viewer.locator(".idea__body")).to_be_hidden()
    # A reload draws the same state the live page showed.
    live_notice = notice.inner_text()
    idea_viewer.reload()
    expect(idea_viewer.locator(".moderation-notice")).to_have_text(live_notice)

    author.goto(f"{base}/moderation/mine/")
    author.get_by_role("link", name="Appeal this decision").first.click()
    author.get_by_label("Why should the decision change?").fill(
        "It is a real suggestion about the buses, not advertising."
    )
    author.get_by_role("button", name="Send the appeal").click()
    expect(author.locator(".messages")).to_be_visible()
    author.goto(f"{base}/moderation/mine/")
    expect(author.locator("main")).to_contain_text("Appeal:")

    for page in (author, board_viewer, idea_viewer, reporter, moderator):
        watch.settle(page)
    watch.assert_clean()
