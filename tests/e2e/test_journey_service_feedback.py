"""A citizen tells the city how a service went, and the agency's dashboard moves live.

Against the served site (daphne and the task worker, in either runtime mode; see conftest):
the transport agency's service designer has the service dashboard open, live; an anonymous
visitor answers the feedback form on the Blue Badge service page (no account, the ordinary
form post); the Blue Badge row's answer count on the designer's page goes up by one without
a reload, and the change is announced politely. The demo's Blue Badge visibly fails its
"Plain words" promise, and its jargon theme is already a challenge.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in as _sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser


def test_a_citizen_answers_on_a_service_page_and_the_agency_dashboard_moves_live(
    live_server_url, browser
):
    from playwright.sync_api import expect

    base = live_server_url
    # The refused second answer is a 400 page, as every refused form (the browser logs it).
    watch = Watch(ignore_console=("status of 400",))
    designer, visitor = watch.page(browser), watch.page(browser)
    _sign_in(designer, base, "designer@northvale.example")
    designer.goto(f"{base}/experience/northvale-transport/")
    expect(designer.locator("[data-live-status]")).to_have_attribute("data-state", "live")
    designer.evaluate("window.__stillTheSamePage = true")
    row = designer.locator("tr[data-service]", has_text="Blue Badge")
    count = row.locator('[data-field="responses"]')
    before = int(count.inner_text())
    badge = designer.locator("section", has=designer.locator("h2", has_text="Blue Badge"))
    expect(badge.locator("tr.failing")).to_contain_text("Plain words")
    expect(designer.get_by_text("became the challenge")).to_be_visible()

    visitor.goto(f"{base}/services/blue-badge/")
    form = visitor.locator("form.feedback-form")
    form.get_by_role("group", name="Did you get what you needed?").get_by_label("No").check()
    form.get_by_role("group", name="How satisfied are you with this service?").get_by_label(
        "2", exact=True
    ).check()
    form.get_by_role("group", name="Did we keep our promise “Plain words”?").get_by_label(
        "No"
    ).check()
    form.get_by_label("Anything else you want to tell us? (optional)").fill(
        "The letter was full of jargon"
    )
    form.get_by_role("button", name="Send feedback").click()
    expect(visitor.locator(".messages")).to_contain_text("Thank you for your feedback")

    expect(count).to_have_text(str(before + 1))
    assert designer.evaluate("window.__stillTheSamePage") is True
    expect(designer.locator("#live-announcer")).not_to_be_empty()

    # A second answer from the same visitor today is refused, and says so.
    visitor.goto(f"{base}/services/blue-badge/")
    form = visitor.locator("form.feedback-form")
    form.get_by_role("group", name="Did you get what you needed?").get_by_label("Yes").check()
    form.get_by_role("group", name="How satisfied are you with this service?").get_by_label(
        "5: very happy"
    ).check()
    form.get_by_role("button", name="Send feedback").click()
    expect(visitor.locator(".errorlist")).to_contain_text("already told us about this service")
    watch.settle(designer)
    expect(count).to_have_text(str(before + 1))
    watch.assert_clean()
