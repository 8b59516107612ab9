"""Journey (c): a service designer runs a co-design session with a signed-in citizen and a
named guest (three browser contexts, the guest on a phone) against a real daphne server,
through every phase to an outcome promoted onto the agency's backlog.

The designer schedules a fresh session (notes hidden until the reveal, guests allowed) and
drives it from the live page without joining first; the citizen and the guest join by link.
Each person's note appears live on every board (as a placeholder for the others until the
reveal), groups are formed, votes cast, the decision recorded and promoted with "Add to the
backlog" on the live page, and the backlog shows it. Every page goes through
``tests.e2e.guards.Watch`` (console and page errors, 5xx, axe, phone overflow). Waits are on
conditions only.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

HIDDEN = "Hidden until the facilitator reveals notes"
NOTES = {
    "designer": "Think about people who cannot see a screen",
    "citizen": "Show the next three buses, not just one",
    "guest": "Tell me when the bus is full",
}


class Journey(Watch):
    """Watch, and no page or asset of the session may be missing (a 404 anywhere fails)."""

    def __init__(self) -> None:
        super().__init__()
        self.not_found: list[str] = []

    def guard_context(self, context, *, phone: bool = False) -> None:
        super().guard_context(context, phone=phone)
        context.on("response", lambda r: self.not_found.append(r.url) if r.status == 404 else None)

    def assert_clean(self) -> None:
        super().assert_clean()
        assert not self.not_found, self.not_found


def _live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("[data-live-status]")).to_have_attribute("data-state", "live")


def _phase(pages, label: str) -> None:
    from playwright.sync_api import expect

    for page in pages:
        expect(page.locator('[data-field="phase_label"]')).to_have_text(label)
        expect(page.locator('.phases [aria-current="step"]')).to_have_text(label)


def _add_note(page, text: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Your note").fill(text)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("[data-live-message]")).to_have_text("Your note is on the board.")
    expect(page.get_by_label("Your note")).to_have_value("")


def _group(page, name: str):
    return page.locator(".group", has=page.locator("h3", has_text=name))


def _move(page, note_text: str, group: str) -> None:
    from playwright.sync_api import expect

    note = page.locator(".column .note", has_text=note_text)
    note.get_by_label("Move to group").select_option(label=group)
    note.get_by_role("button", name="Move").click()
    expect(_group(page, group).locator(".note", has_text=note_text)).to_be_visible()


def _schedule(designer, base: str, title: str, *, guests: bool, hide_notes: bool) -> tuple:
    """The designer schedules a session from the form; returns (session url, join url)."""
    from playwright.sync_api import expect

    designer.goto(f"{base}/sessions/new/northvale-transport/")
    designer.get_by_label("Title").fill(title)
    designer.get_by_label("Goal").fill("Find out what people need to know at a bus stop.")
    designer.get_by_label("Starts at").fill("2030-01-15T10:00")
    designer.get_by_label("Prompts (one per line)").fill("What do you want to know at the stop?")
    if guests:
        designer.get_by_label("Named guests may join without an account").check()
    if hide_notes:
        designer.get_by_label("Hide notes from others until I reveal them").check()
    designer.get_by_role("button", name="Schedule the session").click()
    expect(designer.locator("h1")).to_have_text(title)
    return designer.url, designer.locator(".codesign__controls a").first.get_attribute("href")


def test_a_designer_runs_a_session_with_a_citizen_and_a_guest_to_a_backlog_item(
    live_server_url, browser
):
    from playwright.sync_api import expect

    base = live_server_url
    watch = Journey()
    title = f"Waiting at the stop {uuid.uuid4().hex[:6]}"
    outcome = f"Arrival screens that show three buses {uuid.uuid4().hex[:4]}"

    # The designer schedules the session.
    designer = watch.page(browser)
    sign_in(designer, base, "designer@northvale.example")
    session_url, join_url = _schedule(designer, base, title, guests=True, hide_notes=True)
    _live(designer)
    # Before anyone joins the list says so, and the controls work without joining.
    expect(designer.locator("[data-participants]")).to_have_text("Nobody has joined yet.")
    expect(designer.get_by_role("button", name="Reveal all notes")).to_be_hidden()
    designer.get_by_role("button", name="Next phase").click()
    _phase([designer], "Brief")

    # A signed-in citizen and a named guest (on a phone) join by the link.
    citizen = watch.page(browser)
    sign_in(citizen, base, "citizen@northvale.example")
    citizen.goto(join_url)
    citizen.get_by_role("button", name="Join the session").click()
    expect(citizen).to_have_url(session_url)
    guest = watch.page(browser, phone=True)
    guest.goto(join_url)
    guest.get_by_label("Your name").fill("Gwen")
    guest.get_by_role("button", name="Join as a guest").click()
    expect(guest).to_have_url(session_url)
    designer.goto(join_url)
    designer.get_by_role("button", name="Join the session").click()
    expect(designer).to_have_url(session_url)
    people = [designer, citizen, guest]
    for page in people:
        _live(page)
        for name in ("Amara O.", "Gwen (guest)"):
            expect(page.locator("[data-participants]")).to_contain_text(name)

    # Add notes: each appears at once on every board, its text only for its author and the
    # facilitator until the reveal.
    designer.get_by_role("button", name="Next phase").click()
    _phase(people, "Add notes")
    for page, who in ((citizen, "citizen"), (guest, "guest"), (designer, "designer")):
        _add_note(page, NOTES[who])
    for page in people:
        expect(page.locator(".note")).to_have_count(3)
    for who in ("citizen", "guest"):
        expect(designer.locator(".note", has_text=NOTES[who])).to_be_visible()
    expect(citizen.locator(".note", has_text=NOTES["citizen"])).to_be_visible()
    expect(citizen.locator(".note", has_text=HIDDEN)).to_have_count(2)
    expect(guest.locator(".note", has_text=HIDDEN)).to_have_count(2)
    designer.get_by_role("button", name="Reveal all notes").click()
    for page in people:
        for text in NOTES.values():
            expect(page.locator(".note", has_text=text)).to_be_visible()
        expect(page.locator(".note", has_text=HIDDEN)).to_have_count(0)
    expect(designer.get_by_role("button", name="Reveal all notes")).to_be_hidden()

    # Group notes: the "Add group" form is there after the live redraw, for everyone joined.
    designer.get_by_role("button", name="Next phase").click()
    _phase(people, "Group notes")
    for page in people:
        expect(page.get_by_label("New group name")).to_be_visible()
    citizen.get_by_label("New group name").fill("Arrival info")
    citizen.get_by_role("button", name="Add group").click()
    guest.get_by_label("New group name").fill("Access")
    guest.get_by_role("button", name="Add group").click()
    for page in people:
        expect(page.locator(".group h3", has_text="Arrival info")).to_be_visible()
        expect(page.locator(".group h3", has_text="Access")).to_be_visible()
    # The guest picks a group in the menu; the citizen's move redraws the guest's board before
    # the guest presses "Move": the choice survives the redraw.
    guest_note = guest.locator(".column .note", has_text=NOTES["guest"])
    guest_note.get_by_label("Move to group").select_option(label="Arrival info")
    _move(citizen, NOTES["citizen"], "Arrival info")
    expect(
        _group(guest, "Arrival info").locator(".note", has_text=NOTES["citizen"])
    ).to_be_visible()
    expect(guest_note.get_by_label("Move to group")).to_have_value(
        guest_note.get_by_label("Move to group")
        .locator("option", has_text="Arrival info")
        .get_attribute("value")
    )
    guest_note.get_by_role("button", name="Move").click()
    expect(_group(guest, "Arrival info").locator(".note", has_text=NOTES["guest"])).to_be_visible()
    _move(designer, NOTES["designer"], "Access")
    for page in people:
        arrival = _group(page, "Arrival info")
        expect(arrival.locator(".note")).to_have_count(2)

    # Vote: every vote's total reaches every board.
    designer.get_by_role("button", name="Next phase").click()
    _phase(people, "Vote")
    for page in people:
        page.get_by_role("button", name="Vote for Arrival info").click()
        expect(page.locator("[data-votes-left]")).to_have_text("You have 4 votes left.")
    for page in people:
        expect(_group(page, "Arrival info").locator(".group__votes")).to_have_text("3 votes")

    # Decide: the designer records the outcome and adds it to the backlog from the live page.
    designer.get_by_role("button", name="Next phase").click()
    _phase(people, "Decide")
    designer.get_by_label("From group").select_option(label="Arrival info (3)")
    designer.get_by_role("textbox", name="Outcome", exact=True).fill(outcome)
    designer.get_by_label("What should change").fill("Screens at the ten busiest stops.")
    designer.get_by_role("button", name="Record the outcome").click()
    for page in people:
        expect(page.locator("[data-outcomes]")).to_contain_text(outcome)
    expect(citizen.get_by_role("button", name="Add to the backlog")).to_have_count(0)
    designer.locator("[data-outcomes] li", has_text=outcome).get_by_role(
        "button", name="Add to the backlog"
    ).click()
    for page in people:
        expect(page.locator("[data-outcomes] li", has_text=outcome)).to_contain_text(
            "In the backlog"
        )
    # A draft item: the others are told, and the facilitator is linked to the backlog's page.
    expect(citizen.get_by_role("link", name="In the backlog")).to_have_count(0)
    assert designer.url == session_url  # all of it live, no reload

    # The backlog shows it.
    designer.locator("[data-outcomes] li", has_text=outcome).get_by_role(
        "link", name="In the backlog"
    ).click()
    expect(designer.locator("h1")).to_contain_text(outcome)
    designer.goto(f"{base}/backlog/northvale-transport/")
    expect(designer.locator("main")).to_contain_text(outcome)
    watch.settle(designer)
    watch.assert_clean()


def test_a_note_held_for_review_is_said_clearly_and_its_text_stays_in_the_box(
    live_server_url, browser
):
    """Issue 20, item 5: the same note three times in an hour from one account is held for
    review (the moderation screening's repeat rule); in one run of three of this journey the
    citizen's and the designer's notes were held, and the page said nothing: the hold message
    was shown, then wiped at once by the acknowledgement of the "stopped typing" message sent
    after every note, and the box was emptied. Now the hold is an error that stays, and the
    author keeps their text."""
    from playwright.sync_api import expect

    base = live_server_url
    watch = Journey()
    designer = watch.page(browser)
    sign_in(designer, base, "designer@northvale.example")
    title = f"Held notes {uuid.uuid4().hex[:6]}"
    session_url, join_url = _schedule(designer, base, title, guests=False, hide_notes=False)
    _live(designer)
    for label in ("Brief", "Add notes"):
        designer.get_by_role("button", name="Next phase").click()
        _phase([designer], label)
    citizen = watch.page(browser)
    sign_in(citizen, base, "citizen@northvale.example")
    citizen.goto(join_url)
    citizen.get_by_role("button", name="Join the session").click()
    expect(citizen).to_have_url(session_url)
    _live(citizen)
    text = f"Same words again {uuid.uuid4().hex[:6]}"
    for _ in range(2):
        _add_note(citizen, text)
    expect(designer.locator(".note", has_text=text)).to_have_count(2)

    citizen.get_by_label("Your note").fill(text)
    citizen.get_by_role("button", name="Add note").click()
    message = citizen.locator("[data-live-message]")
    expect(message).to_contain_text("Held for review")
    expect(message).to_have_class(re.compile("live-message--error"))
    expect(citizen.get_by_label("Your note")).to_have_value(text)
    expect(citizen.locator(".note", has_text=text)).to_have_count(2)
    expect(designer.locator(".note", has_text=text)).to_have_count(2)
    watch.settle(citizen)
    watch.assert_clean()
