"""Journey: participatory budgeting on the demo's Riverside district budget.

Counter staff verify a resident in person (with consent); the resident votes on a phone-width
page, changes the ballot, and watches the turnout move live on the budget page; the agency
closes the vote, counts and publishes, the results page explains the winners, and once the
winners are sent to the backlog one of them is on the public roadmap."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

SLUG = "riverside-district-budget"


def test_a_resident_verified_at_the_counter_votes_on_a_phone_and_sees_the_result(
    live_server_url, browser
):
    from playwright.sync_api import expect

    base, watch = live_server_url, Watch()

    # Counter staff (the agency admin holds every staff role) verify the resident in person.
    counter = watch.page(browser)
    sign_in(counter, base, "agency-admin@northvale.example")
    counter.goto(f"{base}/budgets/{SLUG}/counter/")
    verify = counter.locator("form[action$='/counter/verify/']")
    verify.get_by_label("Document number").fill("NV100001")
    verify.get_by_label("Postcode").fill("nv1 2ab")
    verify.get_by_label("The resident's email address (optional)").fill("citizen@northvale.example")
    verify.get_by_label("The resident agreed that I verify them for this vote, just now").check()
    verify.get_by_role("button", name="Verify the resident").click()
    expect(counter.locator(".messages")).to_contain_text("The resident is verified and may vote.")

    # The resident, on a phone: the budget page with its live turnout in one tab...
    phone = watch.page(browser, phone=True)
    sign_in(phone, base, "citizen@northvale.example")
    phone.goto(f"{base}/budgets/{SLUG}/")
    phone.get_by_role("link", name="Riverside", exact=True).click()
    expect(phone.locator("h1")).to_have_text("Riverside")
    total = phone.locator("[data-turnout-total]")
    before = int(total.inner_text())
    budget_url = phone.url

    # ...and the ballot in another: ordinary checkboxes, limits stated.
    ballot = phone.context.new_page()
    ballot.goto(budget_url)
    ballot.get_by_role("link", name="Vote on this budget").click()
    expect(ballot.locator("#ballot-rules")).to_contain_text("Choose at most 3 projects.")
    ballot.get_by_label(re.compile("Shelters at the four riverside stops")).check()
    ballot.get_by_label(re.compile("Bike racks at the market square")).check()
    ballot.get_by_role("button", name="Cast my ballot").click()
    expect(ballot.locator("h1")).to_have_text("Your ballot is saved")
    expect(ballot.locator(".ballot-summary")).to_contain_text("Bike racks")

    # The turnout on the first tab moved without a reload.
    expect(total).to_have_text(str(before + 1))

    # Changing the ballot replaces it: the turnout stays, the summary changes.
    ballot.get_by_role("link", name="Change my ballot").click()
    ballot.get_by_label(re.compile("Bike racks at the market square")).uncheck()
    ballot.get_by_label(re.compile("Safe crossing at Mill Street school")).check()
    ballot.get_by_role("button", name="Save my changed ballot").click()
    summary = ballot.locator(".ballot-summary")
    expect(summary).to_contain_text("Safe crossing")
    expect(summary).not_to_contain_text("Bike racks")
    phone.reload()
    expect(phone.locator("[data-turnout-total]")).to_have_text(str(before + 1))

    # The agency closes the vote, counts, publishes and sends the winners to the backlog.
    staff = watch.page(browser)
    sign_in(staff, base, "designer@northvale.example")
    staff.goto(f"{base}/budgets/{SLUG}/")
    staff.get_by_role("button", name="Close voting now").click()
    expect(staff.locator(".messages")).to_contain_text("Voting is closed.")
    staff.get_by_role("button", name="Count “Riverside”").click()
    expect(staff.locator(".messages")).to_contain_text("is counted")
    staff.goto(f"{base}/budgets/{SLUG}/")
    staff.get_by_role("button", name="Publish the results").click()
    expect(staff.locator(".messages")).to_contain_text("The results are public.")

    # Anyone reads why each project won or lost.
    ballot.goto(f"{base}/budgets/{SLUG}/")
    ballot.get_by_role("link", name="Results: Riverside").click()
    winners = ballot.locator(".winners")
    expect(winners).to_contain_text("Won with")
    expect(winners).to_contain_text("Paid for by")
    expect(ballot.locator("main")).to_contain_text("funded")

    staff.goto(ballot.url)
    staff.get_by_role("button", name="Send winners to the backlog").click()
    expect(staff.locator(".messages")).to_contain_text("now on the roadmap")
    first_winner = staff.locator(".winners h3 a").first.inner_text().split(". ", 1)[1]

    ballot.goto(f"{base}/roadmap/")
    expect(ballot.locator("main")).to_contain_text(first_winner)
    watch.settle(ballot)
    watch.assert_clean()
