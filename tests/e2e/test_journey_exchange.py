"""Journey (b): two citizens on the service exchange. One offers help, the other answers,
they talk, agree the hours and both confirm; the credits move once, from the helped to the
helper, and the "please confirm" notice is answered."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

HELPER = "citizen@northvale.example"  # Amara offers
HELPED = "priya@northvale.example"  # Priya is helped and pays


def _guarded(watch: Watch, browser):
    page = watch.page(browser)
    return page


def _balance(page, base: str) -> Decimal:
    page.goto(f"{base}/exchange/credits/")
    text = page.locator("main").inner_text()
    found = re.search(r"Balance: (-?[\d.]+) hours", text)
    assert found, text
    return Decimal(found.group(1))


def test_two_citizens_exchange_an_hour_and_credits_move_once(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    helper = _guarded(watch, browser)
    sign_in(helper, base, HELPER)
    helped = _guarded(watch, browser)
    sign_in(helped, base, HELPED)
    helper_before, helped_before = _balance(helper, base), _balance(helped, base)

    helper.goto(f"{base}/exchange/new/")
    helper.locator("input[name=kind][value=offer]").check()
    title = "Journey: I can read and explain official letters"
    helper.get_by_label("Title").fill(title)
    helper.get_by_label("Description").fill("Bring the letter; we read it together.")
    helper.get_by_role("button", name="Post", exact=True).click()
    expect(helper.locator("h1")).to_have_text(title)
    post_url = helper.url

    helped.goto(post_url)
    helped.get_by_label("Your message").fill("I have a council tax letter I do not follow.")
    safety = helped.get_by_label("I have read the safety guidance above")
    if safety.count():
        safety.check()
    helped.get_by_role("button", name="Send", exact=True).click()
    expect(helped.locator("main")).to_contain_text("council tax letter")
    conversation = helped.url.split("#")[0]
    assert re.search(r"/exchange/conversations/\d+/$", conversation), conversation

    helper.goto(conversation)
    expect(helper.locator("main")).to_contain_text("council tax letter")
    helper.get_by_label("Hours").fill("1.5")
    helper.get_by_role("button", name="Propose hours").click()
    expect(helper.locator("[data-state=hours]")).to_contain_text("1.5")

    helped.goto(conversation)
    helped.get_by_role("button", name="Agree to 1.5 hours").click()
    expect(helped.locator("[data-state=hours]")).to_contain_text("1.5 hours agreed")

    helper.goto(conversation)
    helper.get_by_role("button", name="It happened — mark as done").click()
    expect(helper.locator("main")).to_contain_text("Waiting for the other person")

    helped.goto(conversation)
    helped.get_by_role("button", name="It happened — mark as done").click()
    expect(helped.locator("main")).to_contain_text("Done: 1.5 hours of time credit moved.")
    # A second press (a stale tab) is refused and moves nothing.
    helper.goto(conversation)
    expect(helper.get_by_role("button", name="It happened — mark as done")).to_have_count(0)

    assert _balance(helper, base) == helper_before + Decimal("1.5")
    assert _balance(helped, base) == helped_before - Decimal("1.5")

    # The "please confirm" notice Priya got is answered now that the exchange is complete.
    helped.goto(f"{base}/notifications/")
    ask = helped.locator("li.notification", has_text="please confirm")
    expect(ask).to_have_count(1)
    expect(ask).not_to_have_class(re.compile("notification--unread"))

    for page in (helper, helped):
        watch.settle(page)
    watch.assert_clean()
