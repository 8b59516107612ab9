"""An editor changes a service page, it goes through the demo's moderation workflow
(Wagtail's "Moderators approval": the editor submits, an administrator approves) and, once
live, the task worker has indexed it: the site's service search finds it by its new word.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser


def admin_page(browser, problems: list[str]):
    """A page for the Wagtail admin: console errors and HTTP 5xx are recorded."""
    from tests.e2e.conftest import TIMEOUT_MS

    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on(
        "console",
        lambda msg: problems.append(f"{page.url}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: page error {exc}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.url}: HTTP {r.status}") if r.status >= 500 else None,
    )
    return page


def _action_menu(page, name: str) -> None:
    """Press an action in the Wagtail editor's footer (opening its menu if needed)."""
    button = page.get_by_role("button", name=re.compile(name))
    if not button.first.is_visible():
        page.locator(
            "footer [data-w-dropdown-target='toggle'], footer .w-dropdown__toggle"
        ).first.click()
    button.first.click()


def test_an_editor_publishes_a_service_page_through_the_workflow_and_finds_it_in_search(
    live_site, browser
):
    from playwright.sync_api import expect

    base = live_site.url
    # Wagtail's own editor (Draftail) has an axe finding we cannot fix here
    # (aria-input-field-name on its rich-text fields), so admin pages are checked for console
    # errors and 5xx only; the public pages get the full guard.
    watch, admin_problems = Watch(), []
    word = "Quokka" + "".join(random.choices(string.ascii_lowercase, k=8))

    editor = admin_page(browser, admin_problems)
    sign_in(editor, base, "editor@northvale.example")
    editor.goto(f"{base}/admin/pages/search/?q=food")
    editor.locator("a[href*='/admin/pages/'][href$='/edit/']").first.click()
    edit_url = editor.url
    title = editor.locator("#id_title")
    new_title = f"{title.input_value()} {word}"
    title.fill(new_title)
    _action_menu(editor, "Submit to")
    expect(editor.locator(".messages")).to_contain_text("submitted")

    moderator = admin_page(browser, admin_problems)
    sign_in(moderator, base, "admin@northvale.example")
    moderator.goto(edit_url)
    _action_menu(moderator, "^Approve")
    expect(moderator.locator(".messages")).to_contain_text(re.compile("approved|updated"))

    visitor = watch.page(browser)
    visitor.goto(f"{base}/services/?q={word}")
    results = visitor.locator("main")
    for _ in range(20):  # the worker indexes the new revision within a few seconds
        if word in results.inner_text():
            break
        visitor.wait_for_timeout(500)
        visitor.reload()
    expect(results.get_by_role("link", name=re.compile(word))).to_be_visible()
    watch.settle(visitor)
    watch.assert_clean()
    assert admin_problems == []
