"""Journey (issue #25): a citizen searches in Spanish, opens the map, filters by district and
reaches an idea; the map server's tiles cannot be reached, and the map still works.

The journey runs on a second web process over the shared site's database whose
``MAP_TILE_URL`` points at a closed local port (no migrate, no seed: a few seconds). Tile
requests are refused, so the page must still draw its markers on the plain background, say
that the background map could not load, and list the same ideas. Chromium reports each
refused tile as a console error; those (and only those) are expected here.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import _free_port, _server_env, _wait_until_up
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

SEARCH = "contenedores"  # Spanish: "bins", in the food-waste challenge's background


@contextlib.contextmanager
def _site_without_tiles(live_site):
    """Another web process on the same database, its tile server a closed local port."""
    from config.devserver import DevServer

    closed = _free_port()  # nothing listens: every tile request is refused
    env = {
        **_server_env(live_site.database_url, live_site.redis_url),
        "MAP_TILE_URL": f"http://127.0.0.1:{closed}/{{z}}/{{x}}/{{y}}.png",
        "MAP_TILE_ATTRIBUTION": "Tiles: test server",
    }
    workdir = Path(tempfile.mkdtemp(prefix="civic-e2e-places-"))
    server = DevServer(
        host="127.0.0.1",
        port=_free_port(),
        worker=False,
        extra_env=env,
        output=(workdir / "site.log").open("w"),
    )
    try:
        server.start()
        _wait_until_up(f"{server.url}/healthz", server)
        yield server.url, closed
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _points(page, map_id: str) -> dict:
    return json.loads(page.locator(f"#{map_id}").get_attribute("data-points-json"))


def test_a_spanish_citizen_finds_an_idea_by_district_on_a_map_without_tiles(live_site, browser):
    from playwright.sync_api import expect

    with _site_without_tiles(live_site) as (base, closed):
        watch = Watch(ignore_console=("ERR_CONNECTION_REFUSED", f"127.0.0.1:{closed}"))
        page = watch.page(browser)
        page.context.add_cookies([{"name": "django_language", "value": "es", "url": base}])

        # Search in Spanish: the food-waste challenge is found by its Spanish text.
        page.goto(f"{base}/search/")
        page.locator("#search-q").fill(SEARCH)
        page.locator("#search-q").press("Enter")
        board = page.locator(".search-results a[href*='/ideas/challenges/']").first
        expect(board).to_be_visible()
        board.click()
        expect(page).to_have_url(re.compile(r"/ideas/challenges/\d+/$"))
        board_url = page.url

        # The board's map: markers on a plain background, the tiles' failure said, the list.
        page.locator("[data-board-map-link]").click()
        expect(page).to_have_url(re.compile(r"/ideas/challenges/\d+/map/$"))
        expect(page.locator("#board-map[data-map-ready]")).to_be_visible()
        expect(page.locator("#board-map .leaflet-marker-icon").first).to_be_visible()
        expect(page.locator("[data-map-note='board-map']")).to_be_visible()
        items = page.locator(".places-list li")
        expect(items.first).to_be_visible()
        points = _points(page, "board-map")
        assert points["features"], "the demo board has ideas with a place"
        assert items.count() == len(points["features"])

        # Filter by the district of the first idea (its name as the visitor reads it).
        district = points["features"][0]["properties"]["district"]
        title = points["features"][0]["properties"]["title"]
        page.locator("#map-district").select_option(label=district)
        page.locator(".places-filters button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"[?&]district=[\w-]+"))
        filtered = _points(page, "board-map")["features"]
        assert filtered and {f["properties"]["district"] for f in filtered} == {district}
        assert (
            len(filtered) < len(points["features"])
            or len({f["properties"]["district"] for f in points["features"]}) == 1
        )
        expect(page.locator("#board-map .leaflet-marker-icon").first).to_be_visible()
        for text in page.locator(".places-list li .meta").all_inner_texts():
            assert district in text

        # Reach the idea from the list (the path that needs no map).
        page.locator(".places-list").get_by_role("link", name=title, exact=True).click()
        expect(page.locator("h1")).to_have_text(title)
        assert page.url.startswith(base) and "/ideas/" in page.url and page.url != board_url
        watch.settle(page)
        watch.assert_clean()
