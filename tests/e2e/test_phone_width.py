"""The data pages at phone width (390 px): nothing widens the page; wide tables scroll in
their own labelled, focusable region instead (WCAG 1.4.10 reflow)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser


def test_open_data_insight_and_the_opinion_map_fit_a_phone(live_server_url, browser):
    base, watch = live_server_url, Watch()
    page = watch.page(browser, phone=True)
    page.goto(f"{base}/data/")
    region = page.get_by_role("region", name="Datasets in the download and the API")
    assert region.get_attribute("tabindex") == "0"
    watch.settle(page)

    sign_in(page, base, "moderator@northvale.example")
    for slug in ("northvale-transport", "housing-planning"):
        page.goto(f"{base}/insight/{slug}/")
        assert page.locator("main table").count() == page.locator(".table-scroll table").count()
        watch.settle(page)
    page.locator("a[href*='/insight/challenges/'], a[href*='opinion']").first.click()
    page.wait_for_load_state("load")
    assert page.locator("main [data-opinion-map]").count() == 1
    assert page.locator("main table").count() == page.locator(".table-scroll table").count()
    watch.settle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, width
    watch.assert_clean()
