"""Live cards write dates exactly as the server does, in English and in Spanish: the browser's
``Live.formatDate`` (Chromium's Intl data, the page's pattern and time zone) against
``community.formats.datetime_text`` for the same instants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

INSTANTS = [
    datetime(2026, 12, 6, 14, 35, 41, tzinfo=UTC),
    datetime(2026, 7, 1, 23, 5, tzinfo=UTC),  # summer time: 00:05 the next day in London
    datetime(2027, 1, 9, 0, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_live_dates_match_the_servers_in_each_language(live_server_url, browser, language):
    from django.utils import translation

    from community.formats import datetime_text

    base, watch = live_server_url, Watch()
    # A browser in New York with US English: the page's language and zone must win.
    page = watch.page(browser, locale="en-US", timezone_id="America/New_York")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/ideas/")
    page.locator("main a[href*='/ideas/challenges/']").first.click()
    page.wait_for_function("() => window.Live && window.Live.formatDate")
    assert page.evaluate("() => document.documentElement.lang") == language
    for instant in INSTANTS:
        live = page.evaluate("(iso) => window.Live.formatDate(iso)", instant.isoformat())
        with translation.override(language):
            assert live == datetime_text(instant)
    watch.settle(page)
    watch.assert_clean()
