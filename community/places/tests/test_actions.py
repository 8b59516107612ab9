"""Assigning points and districts; district actions and who may use them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Role
from community.places import actions, geometry, selectors
from community.places.models import District
from community.places.tests.factories import DistrictFactory, square
from community.tests.factories import IntermediaryFactory, OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


class Thing:
    """Stands in for a content model inheriting PlaceFields (place_assign never saves)."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    district: District | None = None


@pytest.fixture
def city():
    agency = OrganisationFactory(name="Northvale Council", slug="northvale-council")
    west = DistrictFactory(
        organisation=agency,
        name="Westside",
        slug="westside",
        boundary={"type": "Polygon", "coordinates": [square(-1.0, 53.0, -0.9, 53.1)]},
    )
    east = DistrictFactory(
        organisation=agency,
        name="Eastside",
        slug="eastside",
        boundary={
            "type": "Polygon",
            # With a park in the middle that belongs to no district.
            "coordinates": [square(-0.9, 53.0, -0.8, 53.1), square(-0.86, 53.04, -0.84, 53.06)],
        },
    )
    islands = DistrictFactory(
        organisation=agency,
        name="Islands",
        slug="islands",
        boundary={
            "type": "MultiPolygon",
            "coordinates": [[square(-0.7, 53.0, -0.69, 53.01)], [square(-0.6, 53.0, -0.59, 53.01)]],
        },
    )
    return {"agency": agency, "west": west, "east": east, "islands": islands}


class TestDistrictFor:
    def test_finds_the_district_holding_the_point(self, city):
        assert selectors.district_for(53.05, -0.95) == city["west"]
        assert selectors.district_for("53.05", "-0.81") == city["east"]
        assert selectors.district_for(53.005, -0.595) == city["islands"]

    def test_outside_every_district_or_in_a_hole_is_none(self, city):
        assert selectors.district_for(53.05, -0.85) is None  # the park
        assert selectors.district_for(53.005, -0.65) is None  # between the islands
        assert selectors.district_for(10, 10) is None

    def test_the_smallest_of_overlapping_districts_wins(self, city):
        centre = DistrictFactory(
            organisation=city["agency"],
            name="Zed Centre",
            boundary={"type": "Polygon", "coordinates": [square(-0.96, 53.04, -0.94, 53.06)]},
        )
        assert selectors.district_for(53.05, -0.95) == centre
        assert selectors.district_for(53.02, -0.95) == city["west"]

    def test_one_query(self, city, django_assert_num_queries):
        with django_assert_num_queries(1):
            selectors.district_for(53.05, -0.95)

    def test_bounding_box_follows_the_boundary(self, city):
        west = city["west"]
        assert (west.min_latitude, west.max_latitude) == (Decimal("53.0"), Decimal("53.1"))
        west.boundary = {"type": "Polygon", "coordinates": [square(-2, 52, -1.9, 52.1)]}
        west.save(update_fields=["boundary"])
        west.refresh_from_db()
        assert (west.min_longitude, west.max_longitude) == (Decimal("-2"), Decimal("-1.9"))


class TestPlaceAssign:
    def test_a_citizens_point_is_rounded_and_gets_its_district(self, city, settings):
        settings.PLACES_ROUND_METRES = 100
        thing = Thing()
        actions.place_assign(thing, latitude="53.051234", longitude="-0.951234", precise=False)
        assert (thing.latitude, thing.longitude) == geometry.round_point(53.051234, -0.951234, 100)
        assert (thing.latitude, thing.longitude) != (Decimal("53.051234"), Decimal("-0.951234"))
        assert thing.district == city["west"]

    def test_the_rounding_follows_the_setting(self, city, settings):
        settings.PLACES_ROUND_METRES = 1000
        thing = Thing()
        actions.place_assign(thing, latitude=53.051234, longitude=-0.951234, precise=False)
        assert (thing.latitude, thing.longitude) == geometry.round_point(53.051234, -0.951234, 1000)

    def test_an_agencys_point_is_kept_as_posted(self, city):
        thing = Thing()
        actions.place_assign(thing, latitude="53.051234", longitude="-0.951234", precise=True)
        assert (thing.latitude, thing.longitude) == (Decimal("53.051234"), Decimal("-0.951234"))
        assert thing.district == city["west"]

    def test_outside_every_district(self, city):
        thing = Thing()
        thing.district = city["east"]
        actions.place_assign(thing, latitude=51.5, longitude=-0.12, precise=True)
        assert thing.district is None
        assert thing.latitude == Decimal("51.5")

    def test_no_point_clears_all_three_or_keeps_a_chosen_area(self, city):
        thing = Thing()
        actions.place_assign(thing, latitude=53.05, longitude=-0.95, precise=False)
        actions.place_assign(thing, latitude=None, longitude=None, precise=False)
        assert (thing.latitude, thing.longitude, thing.district) == (None, None, None)
        actions.place_assign(thing, latitude="", longitude="", precise=False, district=city["east"])
        assert (thing.latitude, thing.longitude, thing.district) == (None, None, city["east"])

    def test_half_a_point_or_junk_is_refused(self, city):
        thing = Thing()
        with pytest.raises(ValidationError) as error:
            actions.place_assign(thing, latitude=53.05, longitude=None, precise=False)
        assert "both latitude and longitude" in error.value.message_dict["longitude"][0]
        with pytest.raises(ValidationError) as error:
            actions.place_assign(thing, latitude="53.05", longitude="west", precise=False)
        assert set(error.value.message_dict) == {"longitude"}
        with pytest.raises(ValidationError):
            actions.place_assign(thing, latitude=153, longitude=0, precise=True)
        assert (thing.latitude, thing.longitude, thing.district) == (None, None, None)


class TestDistrictActions:
    BOX = {"type": "Polygon", "coordinates": [square(-1.2, 53.2, -1.1, 53.3)]}

    def test_agency_staff_create_and_update(self, city):
        admin = staff(Role.AGENCY_ADMIN, city["agency"])
        district = actions.district_create(
            by=admin,
            organisation=city["agency"],
            name="  Old   Town ",
            boundary={"type": "Feature", "properties": {}, "geometry": self.BOX},
        )
        assert (district.name, district.slug) == ("Old Town", "old-town")
        assert district.boundary["type"] == "Polygon"
        assert selectors.district_for(53.25, -1.15) == district
        designer = staff(Role.SERVICE_DESIGNER, city["agency"])
        moved = {"type": "Polygon", "coordinates": [square(-1.4, 53.2, -1.3, 53.3)]}
        actions.district_update(by=designer, district=district, boundary=moved, name="Old Town")
        assert selectors.district_for(53.25, -1.15) is None
        assert selectors.district_for(53.25, -1.35) == district

    def test_slugs_stay_unique(self, city):
        admin = staff(Role.AGENCY_ADMIN, city["agency"])
        again = actions.district_create(
            by=admin, organisation=city["agency"], name="Westside", boundary=self.BOX
        )
        assert again.slug == "westside-2"
        with pytest.raises(ValidationError) as error:
            actions.district_update(by=admin, district=again, slug="westside")
        assert "slug" in error.value.message_dict

    def test_a_broken_boundary_is_refused_with_its_reason(self, city):
        admin = staff(Role.AGENCY_ADMIN, city["agency"])
        with pytest.raises(ValidationError) as error:
            actions.district_create(
                by=admin,
                organisation=city["agency"],
                name="Broken",
                boundary={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            )
        assert "not closed" in error.value.message_dict["boundary"][0]
        assert not District.objects.filter(name="Broken").exists()

    def test_html_names_are_refused(self, city):
        admin = staff(Role.AGENCY_ADMIN, city["agency"])
        with pytest.raises(ValidationError) as error:
            actions.district_create(
                by=admin, organisation=city["agency"], name="<b>x</b>", boundary=self.BOX
            )
        assert "name" in error.value.message_dict

    @pytest.mark.parametrize("who", ["citizen", "other_agency", "intermediary", "anonymous"])
    def test_others_may_not(self, city, who):
        from django.contrib.auth.models import AnonymousUser

        intermediary = IntermediaryFactory()
        user = {
            "citizen": lambda: UserFactory(),
            "other_agency": lambda: staff(Role.AGENCY_ADMIN),
            "intermediary": lambda: staff(Role.AGENCY_ADMIN, intermediary),
            "anonymous": AnonymousUser,
        }[who]()
        with pytest.raises(PermissionDenied):
            actions.district_create(
                by=user, organisation=city["agency"], name="Mine", boundary=self.BOX
            )
        with pytest.raises(PermissionDenied):
            actions.district_update(by=user, district=city["west"], name="Mine")
        assert not user.has_perm("places.manage_district", city["west"])
        # An intermediary's own staff may not define districts either: only agencies do.
        if who == "intermediary":
            with pytest.raises(PermissionDenied):
                actions.district_create(
                    by=user, organisation=intermediary, name="Ours", boundary=self.BOX
                )

    def test_permission_name_is_registered(self, city):
        admin = staff(Role.AGENCY_ADMIN, city["agency"])
        assert admin.has_perm("places.manage_district", city["agency"])
        assert admin.has_perm("places.manage_district", city["west"])
        assert not admin.has_perm("places.manage_district", None)


def test_district_for_queries_do_not_grow_with_districts(city):
    for n in range(10):
        DistrictFactory(
            organisation=city["agency"],
            boundary={"type": "Polygon", "coordinates": [square(10 + n, 10, 10.5 + n, 10.5)]},
        )
    with CaptureQueriesContext(connection) as queries:
        selectors.district_for(10.2, 12.2)
    assert len(queries) == 1
