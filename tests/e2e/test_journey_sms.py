"""Journey (j): a citizen takes part by text through the development phone page.

Rosa (the demo's confirmed number) texts an idea with the challenge's code and a support
(``YES n``) from ``/dev/phone/``; each text goes through the signed webhook and she reads the
replies on the page. Her first text idea is held for a moderator (screening rule), who
approves it; an anonymous visitor then finds it on the board.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

ROSA = "+447700900555"


def _page(watch: Watch, browser, **options):
    page = watch.page(browser, **options)
    return page


def _send(phone, text: str) -> str:
    """Send one text from the dev phone; returns the reply that came back to it."""
    from playwright.sync_api import expect

    replies = phone.locator(".sms-conversation__text--out")
    before = replies.count()
    phone.locator("#id_body").fill(text)
    phone.get_by_role("button", name="Send text").click()
    expect(phone.locator(".sms-conversation__text--in").last).to_contain_text(text)
    expect(replies).to_have_count(before + 1)
    return replies.last.inner_text()


def test_a_citizen_texts_an_idea_and_a_support_from_the_dev_phone(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    viewer = _page(watch, browser)
    viewer.goto(f"{base}/ideas/?q=buses")
    viewer.get_by_role("link", name="How might we make the buses feel reliable").click()
    board_url = viewer.url
    code = viewer.locator("main p.meta strong").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]+", code), code
    other_idea = viewer.locator("main a[href^='/ideas/'][href$='/']").filter(
        has_text=re.compile(r"\w")
    )
    other_href = next(
        h
        for h in other_idea.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        if re.fullmatch(r"/ideas/\d+/", h)
    )
    other_id = re.search(r"\d+", other_href).group()

    phone = _page(watch, browser, phone=True)
    phone.goto(f"{base}/dev/phone/")
    phone.get_by_role("link", name=ROSA).click()
    expect(phone.locator("#id_number")).to_have_value(ROSA)

    title = "Live bus times on a screen at every stop"
    reply = _send(phone, f"{code} {title}. It would help older riders.")
    idea_id = re.search(r"\d+", reply.split("\n", 1)[-1]).group()

    moderator = _page(watch, browser)
    sign_in(moderator, base, "moderator@northvale.example")
    moderator.goto(f"{base}/moderation/")
    moderator.locator("h2 a", has_text=title[:30]).first.click()
    moderator.get_by_label("Approve: publish it").check()
    moderator.get_by_role("button", name="Record the decision").click()
    expect(moderator.locator(".messages")).to_be_visible()

    viewer.goto(board_url)
    expect(viewer.locator("main")).to_contain_text(title)
    viewer.goto(f"{base}/ideas/{idea_id}/")
    expect(viewer.locator("h1")).to_contain_text(title)

    reply = _send(phone, f"YES {other_id}")
    assert other_id in reply, reply
    watch.settle(phone)
    watch.assert_clean()
