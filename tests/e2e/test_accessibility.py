"""axe-core (bundled by axe-playwright-python, no CDN) finds no serious or critical
accessibility violations on the main pages, signed out and signed in."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import BROWSER_ARGS, CHROMIUM, TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/ideas/",
    "/exchange/",
    "/exchange/stats/",
    "/roadmap/",
    "/services/",
    "/moderation/transparency/",
    "/accounts/login/",
    "/accounts/signup/",
    "/services/bus-journeys-survey/",  # a survey (ideas.research demo)
]
# Pages found by following the first link that matches, from the page named.
LINKED_PAGES = [
    ("/ideas/", r"^/ideas/challenges/\d+/$"),  # an idea board
    ("/ideas/challenges/", r"^/ideas/\d+/$"),  # an idea (from the board found above)
    ("/exchange/", r"^/exchange/\d+/$"),  # an exchange offer or request
    ("/roadmap/", r"^/roadmap/items/\d+/$"),  # a roadmap item
    ("/services/", r"^/services/[\w-]+/$"),  # a service page
]
SIGNED_IN_PAGES = [
    "/accounts/",
    "/accounts/privacy/",
    "/notifications/",
    "/exchange/new/",
    "/exchange/conversations/",
    "/moderation/mine/",
    "/research/panel/",
]
SEVERE = {"serious", "critical"}


def _severe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SEVERE
    ]


def _links(page, pattern: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if re.match(pattern, h.split("?")[0])]


def _first_link(page, pattern: str) -> str | None:
    return next(iter(_links(page, pattern)), None)


def test_main_pages_have_no_serious_accessibility_violations(live_server_url):
    from playwright.sync_api import sync_playwright

    base = live_server_url
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            context = browser.new_context(bypass_csp=True)  # lets axe's script run in the page
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            visited = []
            for path in PUBLIC_PAGES:
                page.goto(base + path)
                visited.append(path)
                problems += _severe(page)
            board = None
            boards: list[str] = []
            for start, pattern in LINKED_PAGES:
                # An idea: from the board found above, or the next board that has one (a
                # challenge just started from feedback has no ideas yet).
                starts = [board, *boards] if start == "/ideas/challenges/" and board else [start]
                link = None
                for begin in starts:
                    page.goto(base + begin)
                    if start == "/ideas/":
                        boards = _links(page, pattern)
                    link = _first_link(page, pattern)
                    if link:
                        break
                assert link, f"no link matching {pattern} from {starts}"
                page.goto(base + link)
                visited.append(link)
                if start == "/ideas/":
                    board = link
                problems += _severe(page)
            sign_in(page, base, "citizen@northvale.example")
            for path in SIGNED_IN_PAGES:
                page.goto(base + path)
                visited.append(path)
                problems += _severe(page)
        finally:
            browser.close()
    assert len(visited) == len(PUBLIC_PAGES) + len(LINKED_PAGES) + len(SIGNED_IN_PAGES)
    assert not problems, "\n".join(problems)
