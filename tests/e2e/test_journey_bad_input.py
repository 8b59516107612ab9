"""Journey (h): bad input on the forms a citizen meets, in a real browser.

Each form gets empty, too long and hostile input (the browser's own checks turned off, as a
script or an old browser would send it). Every time: a message next to the field that names
it and the limit, what was typed is still there, nothing was created, and the guards
(console, page errors, 5xx, axe) stay clean. Hostile text comes back as text, never run.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


def _page(watch: Watch, browser):
    page = watch.page(browser)
    return page


def _unchecked(form):
    """The form with the browser's own checks off and no length cap (call before filling:
    the browser cuts what is typed at ``maxlength``)."""
    form.evaluate(
        "f => { f.noValidate = true; f.querySelectorAll('[maxlength],[required]').forEach("
        "e => { e.removeAttribute('maxlength'); e.removeAttribute('required'); }); }"
    )
    return form


def _submit(page, form, button: str) -> None:
    with page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()


def _error(page, name: str, pattern: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(f"[id^='id_{name}_error']")).to_contain_text(re.compile(pattern))


def _untouched(page) -> None:
    assert page.evaluate("window.__pwned") is None


def test_bad_input_on_every_citizen_form_is_explained_and_changes_nothing(live_server_url, browser):
    from playwright.sync_api import expect

    # A refused form is answered 400 on purpose (the page with its messages); Chromium logs
    # that status as a console error, which is not a fault here.
    base, watch = live_server_url, Watch(ignore_console=("status of 400",))

    # -- sign-up (anonymous) -----------------------------------------------------------------
    visitor = _page(watch, browser)
    visitor.goto(f"{base}/accounts/signup/")
    form = _unchecked(visitor.locator("form:has(input[name=email])").first)
    form.locator("input[name=email]").fill("new.person@example.org")
    form.locator("input[name=display_name]").fill("")
    _submit(visitor, form, "Sign Up")
    _error(visitor, "display_name", r"Fill in “Public name”")
    expect(visitor.locator("input[name=email]")).to_have_value("new.person@example.org")
    form = _unchecked(visitor.locator("form:has(input[name=email])").first)
    form.locator("input[name=display_name]").fill("N" * 300)
    _submit(visitor, form, "Sign Up")
    _error(visitor, "display_name", r"characters or fewer \(you wrote 300\)")

    citizen = _page(watch, browser)
    sign_in(citizen, base, "sam@northvale.example")

    # -- persona -----------------------------------------------------------------------------
    citizen.goto(f"{base}/accounts/personas/")
    personas = citizen.locator("main a[href$='/edit/'][href*='/accounts/personas/']")
    cards = personas.count()
    form = _unchecked(citizen.locator("form[aria-labelledby=new-persona]"))
    form.locator("input[name=display_name]").fill("x" * 500)
    form.locator("textarea[name=description]").fill(HOSTILE)
    _submit(citizen, form, "Create persona")
    _error(citizen, "display_name", r"“Public name” to \d+ characters or fewer \(you wrote 500\)")
    expect(citizen.locator("textarea[name=description]")).to_have_value(HOSTILE)
    _untouched(citizen)
    assert personas.count() == cards

    # -- idea --------------------------------------------------------------------------------
    citizen.goto(f"{base}/ideas/?q=buses")
    citizen.get_by_role("link", name="How might we make the buses feel reliable").click()
    board = citizen.url
    citizen.goto(board + "ideas/new/")
    form = _unchecked(citizen.locator("form.idea-form"))
    long_title = ("Live times " * 16).strip()  # 175 characters (Django strips the end)
    form.locator("input[name=title]").fill(long_title)
    form.locator("textarea[name=body]").fill("")
    _submit(citizen, form, "Post idea")
    _error(citizen, "title", rf"“Title” to 140 characters or fewer \(you wrote {len(long_title)}\)")
    _error(citizen, "body", r"Fill in “Your idea”")
    expect(citizen.locator("input[name=title]")).to_have_value(long_title)
    citizen.goto(board)
    assert long_title.strip() not in citizen.locator("main").inner_text()

    # -- report ------------------------------------------------------------------------------
    citizen.locator(".idea-card h3 a, .idea-card h2 a").first.click()
    citizen.get_by_role("link", name="Report this idea").click()
    form = _unchecked(citizen.locator("main form").first)
    form.locator("textarea[name=text]").fill("R" * 1200)
    _submit(citizen, form, "Send the report")
    _error(citizen, "text", r"to 1000 characters or fewer \(you wrote 1200\)")
    expect(citizen.locator("textarea[name=text]")).to_have_value("R" * 1200)

    # -- exchange offer ----------------------------------------------------------------------
    citizen.goto(f"{base}/exchange/new/")
    form = _unchecked(citizen.locator("main form").first)
    form.locator("input[name=kind][value=offer]").check()
    form.locator("input[name=title]").fill("")
    form.locator("textarea[name=description]").fill(HOSTILE)
    _submit(citizen, form, "Post")
    _error(citizen, "title", r"Fill in “Title”")
    expect(citizen.locator("textarea[name=description]")).to_have_value(HOSTILE)
    _untouched(citizen)
    assert "/exchange/new/" in citizen.url

    # -- account deletion --------------------------------------------------------------------
    citizen.goto(f"{base}/accounts/delete/")
    form = _unchecked(citizen.locator("main form").first)
    form.locator("input[name=password]").fill("northvale-demo")
    _submit(citizen, form, "Delete my account")
    _error(citizen, "confirm", r"Tick the box to confirm you want to delete your account")
    citizen.goto(f"{base}/accounts/")
    assert "/accounts/login/" not in citizen.url

    watch.settle(citizen)
    watch.assert_clean()
