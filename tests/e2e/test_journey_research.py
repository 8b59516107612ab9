"""Journey: research. A citizen answers the demo survey without JavaScript (a refused first
try without consent, then saved, then a second answer refused); a service designer recruits
five panel members for the scheduled bus-stop session and sees counts, never the panel; one
invitee accepts through the signed link in their email (no sign-in, no JavaScript) and the
designer sees the reply.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import email_text, first_link, sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

SESSION = "Bus stop information: first ideas"


def _survey_url(page, base: str) -> str:
    found = page.request.get(f"{base}/api/v2/pages/?type=research.SurveyPage&fields=_,html_url")
    items = found.json()["items"]
    assert items, "the demo survey is missing"
    # The API's URL carries the Site's hostname; the served site is on its own port.
    return base + urlsplit(items[0]["meta"]["html_url"]).path


def test_a_citizen_answers_a_survey_and_a_designer_recruits_five_testers(live_site, browser):
    from playwright.sync_api import expect

    base, watch = live_site.url, Watch()

    # A citizen, not signed in, without JavaScript.
    plain = browser.new_context(java_script_enabled=False)
    nojs = plain.new_page()
    url = _survey_url(nojs, base)
    nojs.goto(url)
    expect(nojs.locator("h1")).to_have_text("How are your bus journeys?")
    nojs.get_by_label("No", exact=True).check()
    nojs.get_by_label("The bus was late").check()
    nojs.locator("input[name=simple][value='2']").check()
    nojs.get_by_label("The app").check()
    nojs.get_by_label("What one change would help you most?").fill("More buses after 9pm")
    nojs.get_by_role("button", name="Send my answers").click()
    expect(nojs.locator("main")).to_contain_text("Please tick the box to agree before sending.")
    expect(nojs.get_by_label("What one change would help you most?")).to_have_value(
        "More buses after 9pm"
    )
    nojs.get_by_label("I agree to how my answers are used").check()
    nojs.get_by_role("button", name="Send my answers").click()
    expect(nojs.locator("main")).to_contain_text("Thank you. Your answers were saved.")
    expect(nojs.get_by_role("button", name="Send my answers")).to_have_count(0)
    nojs.goto(url)
    expect(nojs.locator("main")).to_contain_text("You have already answered this survey.")
    plain.close()

    # The designer asks for five testers (audited page, JavaScript on).
    page = watch.page(browser)
    sign_in(page, base, "designer@northvale.example")
    page.goto(f"{base}/research/recruitment/")
    page.get_by_role("link", name="Ask for testers for Northvale Transport").click()
    title = f"Bus stop testers {uuid.uuid4().hex[:6]}"
    page.get_by_label("Testers for").select_option("codesign")
    page.get_by_label("Co-design session").select_option(label=SESSION)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Starts at").fill("2030-01-15T10:00")
    page.get_by_label("How many testers").fill("5")
    page.get_by_label("Balance the group by").select_option("age_band")
    page.get_by_role("button", name="Invite testers").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main")).to_contain_text("5 panel members were invited.")
    expect(page.locator('[data-count="invited"]')).to_have_text("5")
    expect(page.locator('[data-count="accepted"]')).to_have_text("0")
    expect(page.locator("main")).not_to_contain_text("demo-panel")
    recruitment_url = page.url

    # One invitee opens the link in their email and accepts, without signing in or JS.
    def invitation_email():
        for message in live_site.emails():
            if title in (message["Subject"] or ""):
                return message
        return None

    deadline_page = browser.new_context(java_script_enabled=False)
    invitee = deadline_page.new_page()
    message = None
    for _ in range(900):  # the task worker may still be busy with the seed's index tasks
        message = invitation_email()
        if message is not None:
            break
        invitee.wait_for_timeout(200)
    assert message is not None, "no invitation email was sent"
    link = first_link(email_text(message), base)
    invitee.goto(link)
    expect(invitee.locator("h1")).to_have_text(title)
    invitee.get_by_role("button", name="Yes, I will take part").click()
    expect(invitee.locator("main")).to_contain_text("Thank you: you accepted.")
    expect(invitee.get_by_role("link", name="Open the session")).to_be_visible()
    deadline_page.close()

    page.goto(recruitment_url)
    expect(page.locator('[data-count="accepted"]')).to_have_text("1")
    expect(page.locator('[data-count="waiting"]')).to_have_text("4")
    expect(page.locator("#accepted li")).to_have_count(1)
    watch.settle(page)
    watch.assert_clean()
