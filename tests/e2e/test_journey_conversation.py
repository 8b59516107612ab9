"""Journey: a citizen votes through a conversation's statements, without JavaScript and with
it, then reads the report (the demo's "Buses after dark", three planted opinion groups)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

TITLE = "Buses after dark: what should change?"


def _vote_three(page) -> None:
    from playwright.sync_api import expect

    progress = page.locator(".progress")
    start = int(re.search(r"voted on (\d+)", progress.inner_text()).group(1))
    for n, name in enumerate(("Agree", "Disagree", "Pass / unsure"), start=1):
        statement = page.locator("#statement-text").inner_text()
        page.get_by_role("button", name=name, exact=True).click()
        expect(page.locator(".progress")).to_contain_text(f"voted on {start + n} of")
        assert page.locator("#statement-text").inner_text() != statement


def test_a_citizen_votes_without_and_with_javascript_and_reads_the_report(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    page = watch.page(browser)
    sign_in(page, base, "citizen@northvale.example")
    listing = page.request.get(f"{base}/api/v1/conversations/").json()
    conversation = next(c for c in listing["results"] if c["title"] == TITLE)
    url = f"{base}/conversations/{conversation['id']}/"

    # Without JavaScript: ordinary forms, post/redirect/get.
    plain = browser.new_context(
        java_script_enabled=False, storage_state=page.context.storage_state()
    )
    nojs = plain.new_page()
    nojs.goto(url)
    expect(nojs.locator("h1")).to_have_text(TITLE)
    _vote_three(nojs)
    plain.close()

    # With JavaScript (audited page): the same buttons, keyboard first.
    page.goto(url)
    page.get_by_role("button", name="Agree", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("is saved")
    _vote_three(page)

    page.get_by_role("link", name="See what people think").click()
    expect(page.locator("h1")).to_contain_text("What people think")
    expect(page.locator(".opinion-map")).to_be_visible()
    expect(page.locator("main")).to_contain_text("participants")
    watch.settle(page)
    watch.assert_clean()
