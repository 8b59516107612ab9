"""A campaign reaches consenting citizens only, and a recipient unsubscribes in one click.

Against the served site (daphne and the task worker, demo seeded), in headless Chromium:
Priya follows an idea on Transport's bus challenge and asks for news and campaigns; Transport's agency
admin sends the "Free bus travel" campaign page from their workspace; the worker emails it
(read from the console log like the sign-up journey's confirmation) to Priya and the other
demo citizens who asked, never to Sam, who follows but never asked; the send's delivered
count fills in; Priya unsubscribes from the email's link without signing in, and her
preferences say so. Every page is guarded (tests/e2e/guards.py).
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

BOARD_QUESTION = "How might we make the buses feel reliable"
CAMPAIGN = "Free bus travel from 66"
CAMPAIGNS_LABEL = "News and campaigns from agencies whose challenges you follow"


def _campaign_emails(live_site, to: str) -> list:
    return [m for m in live_site.emails(to) if CAMPAIGN in (m["Subject"] or "")]


def _wait_for_campaign(live_site, to: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = _campaign_emails(live_site, to)
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no campaign email to {to}:\n{live_site.output()[-3000:]}")


def test_staff_send_a_campaign_that_reaches_consenting_citizens_only_and_one_click_unsubscribes(
    live_site, browser
):
    from playwright.sync_api import expect

    base = live_site.url
    watch = Watch()

    # Priya follows an idea on the bus challenge and asks for news and campaigns by email.
    citizen = watch.page(browser)
    sign_in(citizen, base, "priya@northvale.example")
    citizen.goto(f"{base}/ideas/?q=buses")
    citizen.get_by_role("link", name=BOARD_QUESTION).click()
    citizen.locator(".idea-card__title a").first.click()
    follow = citizen.get_by_role("button", name="Follow: hear about status changes")
    if follow.count():
        follow.click()
    expect(citizen.get_by_role("button", name="Stop following")).to_be_visible()
    citizen.goto(f"{base}/notifications/preferences/")
    citizen.get_by_label(CAMPAIGNS_LABEL).check()
    citizen.get_by_role("button", name="Save preferences").click()
    expect(citizen.locator(".messages")).to_contain_text("saved")

    # Transport's agency admin sends the campaign page from their workspace.
    staff = watch.page(browser)
    sign_in(staff, base, "agency-admin@northvale.example")
    staff.goto(f"{base}/accounts/")
    staff.get_by_role("link", name="Send campaigns").click()
    staff.get_by_role("link", name=CAMPAIGN).click()
    expect(staff.locator("main")).to_contain_text("asked for news and campaigns by email")
    staff.get_by_role("button", name="Send the campaign").click()
    expect(staff.locator(".messages")).to_contain_text("being sent")

    # The worker emails everyone who follows and asked — and no one else.
    [message] = _wait_for_campaign(live_site, "priya@northvale.example")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for other in ("citizen@northvale.example", "joe@northvale.example"):
        assert len(_wait_for_campaign(live_site, other)) == 1
    # Sam follows the challenge too but never asked for campaigns.
    assert _campaign_emails(live_site, "sam@northvale.example") == []

    # The send's delivered count fills in as the worker goes (newest send first).
    delivered = staff.locator("tbody tr").first.locator('[data-count="delivered"]')
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        staff.reload()
        if int(delivered.inner_text()) >= 3:
            break
        time.sleep(0.5)
    assert int(delivered.inner_text()) >= 3

    # One click from the email, not signed in: a confirm page, then unsubscribed.
    link = re.sub(r"[<>]", "", message["List-Unsubscribe"]).strip()
    stranger = watch.page(browser)
    stranger.goto(link)
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("status")).to_contain_text("You are unsubscribed")
    citizen.goto(f"{base}/notifications/preferences/")
    expect(citizen.get_by_label(CAMPAIGNS_LABEL)).not_to_be_checked()

    watch.settle(citizen)
    watch.assert_clean()
