"""A facilitator and a participant in one co-design session, in two headless Chromium
sessions against a real daphne server (the demo's scheduled session).

Both join; the facilitator moves the session on and both see the phase change; a note the
participant adds appears on the facilitator's board, and one the facilitator adds appears on
the participant's, without reloading. The server is the shared one of ``tests/e2e/conftest.py``.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import BROWSER_ARGS, CHROMIUM, TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser


def _join(page, base: str) -> None:
    page.goto(f"{base}/sessions/")
    page.get_by_role("link", name="Bus stop information: first ideas").click()
    page.get_by_role("link", name="Join this session").click()
    page.get_by_role("button", name="Join the session").click()
    page.wait_for_url(lambda url: "/join/" not in url)


def test_facilitator_and_participant_see_each_others_notes_and_phase_changes_live(live_server_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
        )
        try:
            script_errors: list = []
            fac_context, part_context = browser.new_context(), browser.new_context()
            fac, part = fac_context.new_page(), part_context.new_page()
            for page in (fac, part):
                page.set_default_timeout(TIMEOUT_MS)
                page.on("pageerror", lambda exc, p=page: script_errors.append((p.url, exc.stack)))
            sign_in(fac, base, "designer@northvale.example")
            sign_in(part, base, "citizen@northvale.example")
            _join(fac, base)
            _join(part, base)
            for page in (fac, part):
                expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")
            part.evaluate("window.__stillTheSamePage = true")
            expect(fac.locator("[data-participants]")).to_contain_text("Amara O.")

            # The facilitator moves the session on; both boards follow.
            fac.get_by_role("button", name="Next phase").click()
            for page in (fac, part):
                expect(page.locator('[data-field="phase_label"]')).to_have_text("Brief")
            fac.get_by_role("button", name="Next phase").click()
            for page in (fac, part):
                expect(page.locator('[data-field="phase_label"]')).to_have_text("Add notes")
                expect(page.locator('[aria-current="step"]')).to_have_text("Add notes")

            # A note added by the participant appears for the facilitator, and back.
            part.fill("#note-text", "Show the next three buses, not just one")
            part.get_by_role("button", name="Add note").click()
            expect(fac.locator(".note", has_text="Show the next three buses")).to_be_visible()
            expect(part.locator(".note", has_text="Show the next three buses")).to_be_visible()
            fac.fill("#note-text", "Think about people who cannot see a screen")
            fac.get_by_role("button", name="Add note").click()
            expect(part.locator(".note", has_text="people who cannot see a screen")).to_be_visible()
            assert part.evaluate("window.__stillTheSamePage") is True
            assert script_errors == []
        finally:
            browser.close()
