"""Journey (g): the main pages in Spanish, on the served site.

A visitor who chose Spanish walks the main pages (home, challenges, a board, an idea, the
roadmap, the exchange, the services list and a service page, open data, sign-in, sign-up).
Every page fails the journey on an English interface string from our catalogue
(``tests/test_spanish.py``'s list), on allauth's English sign-in words, or on English
official content: the demo's agencies, challenges, roadmap items and updates
(``ideas/demo_es.py``) and its CMS pages (``cms/demo_es.py``). Citizens' own words are shown as
written and are not checked.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

ALLAUTH_ENGLISH = ("Sign In", "Sign Up", "Remember Me", "Forgot your password?")
PAGES = [
    "/",
    "/ideas/",
    ("/ideas/", r"^/ideas/challenges/\d+/$"),  # a board
    ("/ideas/challenges/", r"^/ideas/\d+/$"),  # an idea on that board
    "/roadmap/",
    "/exchange/",
    "/services/",
    ("/services/", r"^/services/[\w-]+/$"),  # a service page
    "/data/",
    "/accounts/login/",
    "/accounts/signup/",
]


def _official_english() -> list[str]:
    from cms.demo_es import ES
    from ideas.demo_es import SPANISH

    texts = [*SPANISH, *ES]
    # Whole sentences or names of two words or more: short words could be data or proper
    # names shared by both languages.
    return [
        t
        for t in texts
        if " " in t and len(t) >= 12 and "<" not in t and (SPANISH.get(t) or ES.get(t)) != t
    ]


def test_a_spanish_visitor_meets_no_english_on_the_main_pages(live_server_url, browser):
    from tests.test_spanish import _english_ui_strings, visible_text

    base, watch = live_server_url, Watch()
    page = watch.page(browser)
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": base}])
    interface, official = _english_ui_strings(), _official_english()
    problems: list[str] = []
    last = ""
    boards: list[str] = []
    for entry in PAGES:
        if isinstance(entry, tuple):
            start, pattern = entry
            # An idea: from the board visited last, or the next board that has one (a
            # challenge just started from feedback has no ideas yet).
            starts = [last, *boards] if start == "/ideas/challenges/" else [start]
            url = None
            for begin in starts:
                page.goto(base + begin)
                hrefs = page.locator("main a[href]").evaluate_all(
                    "els => els.map(e => e.getAttribute('href'))"
                )
                matches = [h for h in hrefs if re.match(pattern, h)]
                if start == "/ideas/":
                    boards = matches
                url = next(iter(matches), None)
                if url:
                    break
            assert url, f"no link matching {pattern} from {starts}"
        else:
            url = entry
        page.goto(base + url)
        last = url
        assert page.locator("html").get_attribute("lang") == "es", url
        text = visible_text(page.content())
        found = [s for s in interface if s in text]
        found += [s for s in ALLAUTH_ENGLISH if s in text]
        found += [s for s in official if s in text]
        if found:
            problems.append(f"{url}: {found[:5]}")
    watch.settle(page)
    assert not problems, "English on Spanish pages:\n" + "\n".join(problems)
    watch.assert_clean()
