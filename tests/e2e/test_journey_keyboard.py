"""Journey (i): keyboard only. A citizen signs in, opens a board, supports an idea with Enter
and withdraws with Space, comments and posts an idea, moving only with Tab/Shift+Tab and
acting only with Enter/Space (``page.keyboard``); after every in-page action the focus is
still on a control, never dropped to <body>. Then the board at phone width, with no
horizontal overflow.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

WHO = "li@northvale.example"
MAX_TABS = 250


def _guarded(watch: Watch, browser, **options):
    page = watch.page(browser, **options)
    return page


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches ``selector`` (as a person would)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_on_a_control(page) -> str:
    tag = page.evaluate("() => document.activeElement ? document.activeElement.tagName : 'NONE'")
    assert tag not in ("BODY", "HTML", "NONE"), f"focus fell to {tag}"
    return tag


def test_a_citizen_does_everything_with_the_keyboard(live_server_url, browser):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()
    page = _guarded(watch, browser)

    page.goto(f"{base}/accounts/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(WHO)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{base}/ideas/")
    tab_to(page, "main a[href*='/ideas/challenges/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideas/challenges/*/**")
    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")

    # Support with Enter, withdraw with Space: focus stays on the button both times.
    button = "[data-support-form] button[data-action]"
    tab_to(page, button)
    pressed = page.evaluate("() => document.activeElement.getAttribute('aria-pressed')")
    page.keyboard.press("Enter")
    flipped = "true" if pressed != "true" else "false"
    expect(page.locator(f"{button}[aria-pressed='{flipped}']").first).to_be_visible()
    assert page.evaluate("(s) => document.activeElement.matches(s)", button)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-pressed')") == flipped
    page.keyboard.press("Space")
    page.wait_for_function(
        "(p) => document.activeElement.getAttribute('aria-pressed') === p", arg=pressed or "false"
    )
    focus_is_on_a_control(page)
    board_url = page.url

    # Open the idea and comment.
    tab_to(page, ".idea-card h2 a, .idea-card h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideas/*/")
    page.wait_for_function("() => window.Live !== undefined")
    tab_to(page, "form.comment-form textarea[name=body]")
    comment = "Typed with the keyboard only: a bench at the stop would help."
    page.keyboard.type(comment)
    tab_to(page, "form.comment-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("[data-comment-list]")).to_contain_text(comment)
    focus_is_on_a_control(page)

    # Post an idea.
    page.goto(board_url)
    tab_to(page, "main a[href$='/ideas/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/ideas/new/")
    tab_to(page, "input[name=title]")
    title = "Keyboard journey: announce each stop aloud"
    page.keyboard.type(title)
    tab_to(page, "textarea[name=body]")
    page.keyboard.type("Spoken stop names help people who cannot see the display.")
    tab_to(page, "button[type=submit]:not([name=preview])")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(title)
    watch.settle(page)

    phone = _guarded(watch, browser, phone=True)
    phone.goto(board_url)
    watch.settle(phone)
    watch.assert_clean()
