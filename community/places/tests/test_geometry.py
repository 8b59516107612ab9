"""Pure geometry: points, rounding, boundaries, point in polygon."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from community.places import geometry
from community.places.tests.factories import square

DONUT = {
    "type": "Polygon",
    "coordinates": [square(0, 0, 10, 10), square(4, 4, 6, 6)],
}
TWO_ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]],
}


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


class TestParsePoint:
    def test_numbers_and_text_become_six_place_decimals(self):
        assert geometry.parse_point("53.4808", -2.2426) == (
            Decimal("53.480800"),
            Decimal("-2.242600"),
        )
        assert geometry.parse_point(" 1.23456789 ", Decimal("2")) == (
            Decimal("1.234568"),
            Decimal("2.000000"),
        )

    @pytest.mark.parametrize(
        ("latitude", "longitude", "field", "words"),
        [
            ("north", 0, "latitude", "must be a number"),
            (0, "", "longitude", "must be a number"),
            (float("nan"), 0, "latitude", "must be a number"),
            ("NaN", 0, "latitude", "must be a number"),
            (0, float("inf"), "longitude", "must be a number"),
            (True, 0, "latitude", "must be a number"),
            (None, 0, "latitude", "must be a number"),
            (90.0001, 0, "latitude", "between -90 and 90"),
            (-91, 0, "latitude", "between -90 and 90"),
            (0, 180.5, "longitude", "between -180 and 180"),
            (0, "-181", "longitude", "between -180 and 180"),
            ("1e400", 0, "latitude", "between -90 and 90"),
        ],
    )
    def test_junk_is_refused_naming_the_field(self, latitude, longitude, field, words):
        with pytest.raises(ValidationError) as error:
            geometry.parse_point(latitude, longitude)
        assert set(error.value.message_dict) == {field}
        assert words in error.value.message_dict[field][0]

    def test_both_wrong_names_both(self):
        with pytest.raises(ValidationError) as error:
            geometry.parse_point("x", "y")
        assert set(error.value.message_dict) == {"latitude", "longitude"}


class TestRoundPoint:
    def _metres(self, a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> float:
        lat = math.radians(float(a[0]))
        dy = (float(a[0]) - float(b[0])) * geometry.METRES_PER_DEGREE
        dx = (float(a[1]) - float(b[1])) * geometry.METRES_PER_DEGREE * math.cos(lat)
        return math.hypot(dx, dy)

    @pytest.mark.parametrize("metres", [50, 100, 500])
    @pytest.mark.parametrize(
        "point", [(53.480812, -2.242631), (-33.8688, 151.2093), (0.0004, -0.0004), (64.1, -21.9)]
    )
    def test_moves_a_point_by_at_most_about_the_grid(self, point, metres):
        exact = geometry.parse_point(*point)
        rounded = geometry.round_point(*point, metres)
        # Half a cell diagonally, plus the six-place quantisation.
        assert self._metres(exact, rounded) <= metres * math.sqrt(2) / 2 + 1

    def test_nearby_points_in_one_cell_give_one_answer(self):
        a = geometry.round_point(53.480812, -2.242631, 100)
        b = geometry.round_point(53.480830, -2.242650, 100)
        assert a == b
        assert a != geometry.parse_point(53.480812, -2.242631)

    def test_far_points_stay_apart(self):
        assert geometry.round_point(53.48, -2.24, 100) != geometry.round_point(53.49, -2.24, 100)

    def test_zero_metres_keeps_the_point(self):
        assert geometry.round_point("53.480812", "-2.242631", 0) == (
            Decimal("53.480812"),
            Decimal("-2.242631"),
        )

    def test_near_the_pole_and_date_line_stays_in_range(self):
        lat, lng = geometry.round_point(89.99999, 179.99999, 1000)
        assert -90 <= lat <= 90 and -180 <= lng <= 180

    def test_refuses_junk(self):
        with pytest.raises(ValidationError):
            geometry.round_point("nan", 0, 100)


class TestValidateBoundary:
    def test_polygon_comes_back_clean(self):
        boundary = geometry.validate_boundary(
            {"type": "Polygon", "coordinates": [[[0, 0, 12], [1, 0], [1, 1], [0, 1], [0, 0]]]}
        )
        assert boundary == {
            "type": "Polygon",
            "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]],
        }

    def test_feature_collection_and_text_are_unwrapped(self):
        feature = {"type": "Feature", "properties": {}, "geometry": TWO_ISLANDS}
        collection = {"type": "FeatureCollection", "features": [feature]}
        assert geometry.validate_boundary(json.dumps(collection))["type"] == "MultiPolygon"
        assert geometry.validate_boundary(feature) == geometry.validate_boundary(TWO_ISLANDS)

    @pytest.mark.parametrize(
        ("value", "words"),
        [
            ("{not json", "not valid JSON"),
            ([1, 2], "GeoJSON object"),
            ({"type": "Point", "coordinates": [0, 0]}, 'Polygon or MultiPolygon, not "Point"'),
            ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, 'not "LineString"'),
            ({"type": "Polygon"}, "no coordinates"),
            ({"type": "Polygon", "coordinates": []}, "list of rings"),
            ({"type": "MultiPolygon", "coordinates": []}, "no polygons"),
            (
                {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
                "not closed",
            ),
            ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least 4"),
            (
                {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]},
                "encloses no area",
            ),
            (
                {"type": "Polygon", "coordinates": [[[0, 0], [3, 3], [3, 0], [0, 2], [0, 0]]]},
                "crosses itself",
            ),
            (
                {"type": "Polygon", "coordinates": [square(0, 0, 1, 1), square(5, 5, 6, 6)]},
                "hole 1 lies outside",
            ),
            (
                {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 1], [0, 0]]]},
                "out of range",
            ),
            (
                {"type": "Polygon", "coordinates": [[[0, 95], [1, 0], [1, 1], [0, 1], [0, 95]]]},
                "out of range",
            ),
            (
                {"type": "Polygon", "coordinates": [[[0, "0"], [1, 0], [1, 1], [0, 1], [0, 0]]]},
                "must be numbers",
            ),
            (
                {"type": "Polygon", "coordinates": [[[0, True], [1, 0], [1, 1], [0, 0], [0, 0]]]},
                "must be numbers",
            ),
            ({"type": "Polygon", "coordinates": [[[0], [1, 0], [1, 1], [0, 0]]]}, "position"),
            (
                {"type": "Polygon", "coordinates": [[[[[[0, 0]]]]]]},
                "nested too deeply",
            ),
            (
                {"type": "FeatureCollection", "features": []},
                "exactly one district",
            ),
            (
                {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1, 1)], [[[0, 0]]]]},
                "Polygon 2, outline has 1 positions",
            ),
        ],
    )
    def test_broken_boundaries_are_refused_with_the_reason(self, value, words):
        with pytest.raises(ValidationError) as error:
            geometry.validate_boundary(value)
        assert words in _messages(error)

    def test_absurdly_deep_json_is_refused_not_crashed(self):
        with pytest.raises(ValidationError):
            geometry.validate_boundary("[" * 100_000 + "]" * 100_000)

    def test_too_many_positions_is_refused(self):
        ring = [[0.0, i / 1e6] for i in range(geometry.MAX_POSITIONS + 10)] + [[0.0, 0.0]]
        with pytest.raises(ValidationError, match="too many positions"):
            geometry.validate_boundary({"type": "Polygon", "coordinates": [ring]})

    def test_a_detailed_real_shape_validates_quickly(self):
        # A 5,000-corner circle: the sweep must not compare every pair of edges.
        ring = [
            [math.cos(2 * math.pi * i / 5000), math.sin(2 * math.pi * i / 5000)]
            for i in range(5000)
        ]
        ring.append(ring[0])
        assert geometry.validate_boundary({"type": "Polygon", "coordinates": [ring]})


class TestContains:
    def test_inside_and_outside_a_square(self):
        boundary = {"type": "Polygon", "coordinates": [square(-1, 53, -0.9, 53.1)]}
        assert geometry.contains(boundary, 53.05, -0.95)
        assert not geometry.contains(boundary, 53.05, -0.85)
        assert not geometry.contains(boundary, 53.2, -0.95)

    def test_holes_are_outside(self):
        assert geometry.contains(DONUT, 2, 2)
        assert not geometry.contains(DONUT, 5, 5)  # in the hole
        assert geometry.contains(DONUT, 5, 8)
        assert not geometry.contains(DONUT, 11, 5)

    def test_multipolygon_any_part(self):
        assert geometry.contains(TWO_ISLANDS, 0.5, 0.5)
        assert geometry.contains(TWO_ISLANDS, 5.5, 5.5)
        assert not geometry.contains(TWO_ISLANDS, 3, 3)

    def test_concave_shape(self):
        # A "U": the notch between the arms is outside.
        u_shape = {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]
            ],
        }
        geometry.validate_boundary(u_shape)
        assert geometry.contains(u_shape, 2, 0.5)  # latitude 2, longitude 0.5: left arm
        assert not geometry.contains(u_shape, 2, 1.5)  # the notch
        assert geometry.contains(u_shape, 0.5, 1.5)  # the base

    def test_bad_point_is_refused(self):
        with pytest.raises(ValidationError):
            geometry.contains(DONUT, "nan", 0)


def test_bounding_box_widens_outwards():
    box = geometry.bounding_box(
        {"type": "Polygon", "coordinates": [square(-0.1234567, 1.1234561, 2.0000001, 3.9999999)]}
    )
    assert box == (
        Decimal("1.123456"),
        Decimal("4.000000"),
        Decimal("-0.123457"),
        Decimal("2.000001"),
    )


class TestRepresentativePoint:
    @pytest.mark.parametrize(
        "boundary",
        [
            {"type": "Polygon", "coordinates": [square(-1, 53, -0.9, 53.1)]},
            # A "C" whose centroid falls in the gap.
            {
                "type": "Polygon",
                "coordinates": [
                    [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
                ],
            },
            TWO_ISLANDS,
            DONUT,
        ],
    )
    def test_is_inside_the_outline(self, boundary):
        lat, lng = geometry.representative_point(boundary)
        polygons = (
            boundary["coordinates"]
            if boundary["type"] == "MultiPolygon"
            else [boundary["coordinates"]]
        )
        outlines = {"type": "MultiPolygon", "coordinates": [[p[0]] for p in polygons]}
        assert geometry.contains(outlines, lat, lng)
