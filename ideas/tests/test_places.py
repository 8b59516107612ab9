"""Places on ideas, challenges and exchange posts: assignment, rounding, maps, GeoJSON.

Hidden, held and unpublished items never reach a map, its list or the GeoJSON; exchange
posts show their area only; page queries do not grow with the number of items.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from community.exchange import actions as exchange_actions
from community.models import Persona, Role
from community.moderation.models import ModerationCase
from community.places import geometry
from community.places.tests.factories import DistrictFactory, square
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas import actions
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db

INSIDE = ("53.051234", "-0.951234")  # in Westside
OUTSIDE = ("51.5", "-0.12")


@pytest.fixture
def agency():
    return OrganisationFactory(name="Northvale Parks", slug="northvale-parks")


@pytest.fixture
def west(agency):
    return DistrictFactory(
        organisation=agency,
        name="Westside",
        slug="riverside",  # also the exchange's test area
        boundary={"type": "Polygon", "coordinates": [square(-1.0, 53.0, -0.9, 53.1)]},
    )


@pytest.fixture
def east(agency):
    return DistrictFactory(
        organisation=agency,
        name="Eastside",
        slug="eastside",
        boundary={"type": "Polygon", "coordinates": [square(-0.9, 53.0, -0.8, 53.1)]},
    )


@pytest.fixture
def challenge(agency):
    return ChallengeFactory(agency=agency)


def hold(obj) -> None:
    ModerationCase.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, is_hidden=True
    )


def placed_idea(challenge, district, n=0, **kwargs):
    lat, lng = district.centre
    return IdeaFactory(
        challenge=challenge,
        latitude=lat + Decimal(n) / 10000,
        longitude=lng,
        district=district,
        **kwargs,
    )


class TestIdeaCreate:
    def test_a_citizens_point_is_rounded_and_finds_its_district(self, challenge, west, settings):
        settings.PLACES_ROUND_METRES = 100
        persona = PersonaFactory()
        idea = actions.idea_create(
            user=persona.account,
            challenge=challenge,
            title="A bench by the pond",
            body="Somewhere to sit.",
            latitude=INSIDE[0],
            longitude=INSIDE[1],
        )
        idea.refresh_from_db()
        assert (idea.latitude, idea.longitude) == geometry.round_point(*INSIDE, 100)
        assert idea.latitude != Decimal(INSIDE[0])
        assert idea.district == west

    def test_an_agency_persona_keeps_its_exact_point(self, challenge, agency, west):
        officer = staff(Role.SERVICE_DESIGNER, agency)
        official = Persona.objects.create(
            account=officer, display_name="Parks team", slug="parks-team", organisation=agency
        )
        idea = actions.idea_create(
            user=officer,
            challenge=challenge,
            persona=official,
            title="New railings",
            body="Along the canal.",
            latitude=INSIDE[0],
            longitude=INSIDE[1],
        )
        idea.refresh_from_db()
        assert (idea.latitude, idea.longitude) == (Decimal(INSIDE[0]), Decimal(INSIDE[1]))

    def test_a_district_without_a_point(self, challenge, east):
        persona = PersonaFactory()
        idea = actions.idea_create(
            user=persona.account, challenge=challenge, title="Eastside bins", body="More.",
            district=east,
        )  # fmt: skip
        idea.refresh_from_db()
        assert (idea.latitude, idea.longitude, idea.district) == (None, None, east)

    def test_bad_coordinates_are_refused_with_a_message_and_nothing_is_posted(self, challenge):
        persona = PersonaFactory()
        with pytest.raises(ValidationError) as error:
            actions.idea_create(
                user=persona.account, challenge=challenge, title="Somewhere", body="Here.",
                latitude="95", longitude="0",
            )  # fmt: skip
        assert "between -90 and 90" in error.value.message_dict["latitude"][0]
        assert not challenge.ideas.exists()

    def test_the_form_shows_the_message_beside_the_field(self, client, challenge, west):
        persona = PersonaFactory()
        client.force_login(persona.account)
        response = client.post(
            f"/ideas/challenges/{challenge.pk}/ideas/new/",
            {
                "persona": persona.pk,
                "title": "A bench",
                "body": "Somewhere to sit.",
                "latitude": "north",
                "longitude": "-0.95",
            },
        )
        assert response.status_code == 200
        assert "Latitude must be a number of degrees" in response.content.decode()
        response = client.post(
            f"/ideas/challenges/{challenge.pk}/ideas/new/",
            {
                "persona": persona.pk,
                "title": "A bench",
                "body": "Somewhere to sit.",
                "latitude": INSIDE[0],
                "longitude": INSIDE[1],
            },
        )
        assert response.status_code == 302
        assert challenge.ideas.get().district == west


def _embedded_points(html: str, map_id: str) -> dict:
    element = re.search(rf'<div id="{map_id}"(.*?)>', html, re.S)
    assert element, "no map"
    match = re.search(r'data-points-json="([^"]*)"', element.group(1))
    assert match, "no embedded GeoJSON"
    return json.loads(unescape(match.group(1)))


class TestMaps:
    def test_city_map_lists_and_maps_the_same_public_items(self, client, challenge, west, east):
        shown = placed_idea(challenge, west, title="Shown idea")
        held = placed_idea(challenge, west, 1, title="Held idea")
        hold(held)
        merged = placed_idea(challenge, west, 2, title="Merged idea", merged_into=shown)
        draft = ChallengeFactory(agency=challenge.agency, is_published=False)
        placed_idea(draft, west, title="Draft board idea")
        unplaced = IdeaFactory(challenge=challenge, title="Unplaced idea")
        html = client.get("/places/").content.decode()
        points = _embedded_points(html, "places-map")
        titles = [f["properties"]["title"] for f in points["features"]]
        assert titles == ["Shown idea"]
        assert "Shown idea" in html
        for absent in ("Held idea", merged.title, "Draft board idea", unplaced.title):
            assert absent not in html
        feature = points["features"][0]
        assert feature["geometry"]["coordinates"] == [float(shown.longitude), float(shown.latitude)]

    def test_filter_by_district_kind_and_status(self, client, challenge, west, east):
        placed_idea(challenge, west, title="West idea")
        placed_idea(challenge, east, title="East idea", status="accepted")
        html = client.get("/places/", {"district": "eastside"}).content.decode()
        assert "East idea" in html and "West idea" not in html
        html = client.get("/places/", {"status": "accepted"}).content.decode()
        assert "East idea" in html and "West idea" not in html
        html = client.get("/places/", {"kind": "exchange"}).content.decode()
        assert "East idea" not in html and "West idea" not in html

    def test_near_me_finds_the_district_and_sorts_nearest_first(self, client, challenge, west):
        far = placed_idea(challenge, west, 0, title="Far idea")
        near = placed_idea(challenge, west, 300, title="Near idea")
        html = client.get(
            "/places/",
            {"near_latitude": str(near.latitude), "near_longitude": str(near.longitude)},
        ).content.decode()
        assert "You are in Westside" in html
        assert html.index("Near idea") < html.index(far.title)
        html = client.get(
            "/places/", {"near_latitude": "1000", "near_longitude": "0"}
        ).content.decode()
        assert "Latitude must be between -90 and 90 degrees." in html

    def test_board_map_shows_its_own_public_ideas(self, client, challenge, west, east):
        placed_idea(challenge, west, title="On this board")
        other = ChallengeFactory(agency=challenge.agency)
        placed_idea(other, west, title="On another board")
        hidden = placed_idea(challenge, east, title="Held on this board")
        hold(hidden)
        html = client.get(f"/ideas/challenges/{challenge.pk}/map/").content.decode()
        assert "On this board" in html
        assert "On another board" not in html and "Held on this board" not in html
        html = client.get(
            f"/ideas/challenges/{challenge.pk}/map/", {"district": "eastside"}
        ).content.decode()
        assert "On this board" not in html
        assert (
            f'href="/ideas/challenges/{challenge.pk}/map/"'
            in client.get(f"/ideas/challenges/{challenge.pk}/").content.decode()
        )

    @pytest.mark.parametrize(
        "path", ["/places/", "/places/?district=riverside", "board", "/exchange/map/"]
    )
    def test_query_count_does_not_grow_with_items(self, client, challenge, west, path):
        url = f"/ideas/challenges/{challenge.pk}/map/" if path == "board" else path
        placed_idea(challenge, west)
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for n in range(1, 8):
            placed_idea(challenge, west, n)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == len(few)

    def test_titles_in_the_embedded_geojson_are_escaped(self, client, challenge, west):
        title = '"><img src=x onerror=alert(1)> & </div>'
        placed_idea(challenge, west, title=title)
        html = client.get("/places/").content.decode()
        assert "<img src=x" not in html
        assert _embedded_points(html, "places-map")["features"][0]["properties"]["title"] == title

    def test_without_tiles_the_map_has_no_tile_address(self, client, settings):
        settings.MAP_TILE_URL = ""
        html = client.get("/places/").content.decode()
        assert 'data-tile-url=""' in html
        assert "/static/vendor/leaflet/leaflet.js" in html
        assert 'id="places-list"' in html


class TestExchangeArea:
    @pytest.fixture
    def poster(self):
        persona = PersonaFactory()
        exchange_actions.safety_acknowledge(user=persona.account)
        return persona

    def _post(self, persona, **kwargs):
        values = {
            "kind": "offer", "title": "I can help with forms", "description": "At the library.",
            "category": "forms", "area": "riverside", "mode": "in_person",
        }  # fmt: skip
        values.update(kwargs)
        return exchange_actions.post_create(user=persona.account, persona=persona, **values)

    def test_a_post_is_placed_at_its_areas_centre_only(self, client, poster, west):
        post = self._post(poster)
        post.refresh_from_db()
        assert post.district == west
        assert (post.latitude, post.longitude) == west.centre
        html = client.get("/exchange/map/").content.decode()
        feature = _embedded_points(html, "exchange-map")["features"][0]
        assert feature["properties"]["area_only"] is True
        assert feature["geometry"]["coordinates"] == [
            float(west.centre[1]),
            float(west.centre[0]),
        ]
        assert "area only" in html

    def test_an_area_with_no_district_has_no_point(self, poster, west, settings):
        settings.EXCHANGE = {**settings.EXCHANGE, "AREAS": [("riverside", "R"), ("elsewhere", "E")]}
        post = self._post(poster, area="elsewhere")
        post.refresh_from_db()
        assert (post.latitude, post.longitude, post.district) == (None, None, None)

    def test_held_posts_stay_off_the_map_and_the_list_filters_by_district(
        self, client, poster, west
    ):
        shown = self._post(poster, title="Shown offer of help")
        held = self._post(poster, title="Held offer of help")
        hold(held)
        html = client.get("/exchange/map/").content.decode()
        assert shown.title in html and held.title not in html
        html = client.get("/places/", {"kind": "exchange"}).content.decode()
        assert shown.title in html and held.title not in html
        listed = client.get("/exchange/", {"district": "riverside"}).content.decode()
        assert shown.title in listed
        DistrictFactory(slug="nowhere", name="Nowhere")
        listed = client.get("/exchange/", {"district": "nowhere"}).content.decode()
        assert shown.title not in listed


class TestGeoJSONApi:
    @pytest.fixture
    def api(self):
        return APIClient()

    def test_places_are_public_items_only(self, api, challenge, west, east):
        placed_idea(challenge, west, title="Open data idea")
        hold(placed_idea(challenge, west, 1, title="Held open data idea"))
        body = api.get("/api/v1/places/").json()
        assert body["type"] == "FeatureCollection"
        assert [f["properties"]["title"] for f in body["features"]] == ["Open data idea"]
        assert api.get("/api/v1/places/", {"district": "eastside"}).json()["features"] == []
        assert len(api.get("/api/v1/places/", {"kind": "idea"}).json()["features"]) == 1

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"district": "atlantis"}, "district"),
            ({"kind": "spaceship"}, "kind"),
            ({"x": "1"}, "x"),
        ],
    )
    def test_bad_filters_are_400_naming_the_parameter(self, api, params, field):
        response = api.get("/api/v1/places/", params)
        assert response.status_code == 400
        assert field in response.json() or field in json.dumps(response.json())

    def test_districts_are_geojson_polygons(self, api, west):
        body = api.get("/api/v1/districts/").json()
        feature = body["features"][0]
        assert feature["id"] == "riverside"
        assert feature["geometry"]["type"] == "Polygon"
        assert feature["properties"]["agency"] == "Northvale Parks"

    def test_lists_filter_by_district(self, api, challenge, west, east):
        placed_idea(challenge, west, title="West open idea")
        placed_idea(challenge, east, title="East open idea")
        rows = api.get("/api/v1/ideas/", {"district": "eastside"}).json()["results"]
        assert [r["title"] for r in rows] == ["East open idea"]


class TestSessionVenue:
    def test_the_venue_is_kept_exactly_and_shows_on_the_city_map(self, client, agency, west):
        from ideas.codesign import actions as codesign_actions

        designer = staff(Role.SERVICE_DESIGNER, agency)
        session = codesign_actions.session_create(
            user=designer,
            agency=agency,
            title="Bins workshop at the library",
            goal="Decide what to try first.",
            scheduled_at=timezone.now() + timedelta(days=3),
            prompts=["What gets in the way?"],
            latitude=INSIDE[0],
            longitude=INSIDE[1],
        )
        session.refresh_from_db()
        assert (session.latitude, session.longitude) == (Decimal(INSIDE[0]), Decimal(INSIDE[1]))
        assert session.district == west
        codesign_actions.session_create(
            user=designer, agency=agency, title="Invited only planning", goal="Plan.",
            scheduled_at=timezone.now(), prompts=["?"], visibility="invited",
            latitude=INSIDE[0], longitude=INSIDE[1],
        )  # fmt: skip
        html = client.get("/places/", {"kind": "session"}).content.decode()
        assert "Bins workshop at the library" in html
        assert "Invited only planning" not in html
        with pytest.raises(ValidationError) as error:
            codesign_actions.session_create(
                user=designer, agency=agency, title="Nowhere", goal="x",
                scheduled_at=timezone.now(), prompts=["?"], latitude="1", longitude="",
            )  # fmt: skip
        assert "longitude" in error.value.message_dict


def test_places_geojson_queries_do_not_grow_with_items(challenge, west):
    api = APIClient()
    placed_idea(challenge, west)
    api.get("/api/v1/places/")
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/places/").status_code == 200
    for n in range(1, 8):
        placed_idea(challenge, west, n)
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/v1/places/").json()
    assert len(body["features"]) == 8
    assert len(many) == len(few)
