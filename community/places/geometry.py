"""Points and polygons in plain Python (WGS84, GeoJSON order ``[longitude, latitude]``).

No GEOS or PostGIS: districts are a handful of polygons per city, so a bounding-box prefilter
in the database (:func:`community.places.selectors.district_for`) and ray casting here are
enough. Every function refuses bad input with a ``ValidationError`` whose message says what
is wrong, so forms, the admin and the API can show it as it is.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Six decimal places: about 11 cm, the precision of the ``DecimalField(9, 6)`` columns.
PLACES = Decimal("0.000001")
#: Metres in one degree of latitude (and of longitude at the equator), near enough.
METRES_PER_DEGREE = 111_320.0
#: A boundary larger than this many positions is refused (a city district needs far fewer).
MAX_POSITIONS = 50_000

Position = tuple[float, float]  # (longitude, latitude)
Ring = list[Position]


def _decimal(value: object) -> Decimal | None:
    """``value`` as a finite Decimal, or None for junk (text, NaN, infinity, booleans)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def parse_point(latitude: object, longitude: object) -> tuple[Decimal, Decimal]:
    """``(latitude, longitude)`` as Decimals of six places, or ``ValidationError`` keyed by
    the field at fault (``latitude`` / ``longitude``) with a message saying why."""
    errors: dict[str, str] = {}
    lat = _decimal(latitude)
    lng = _decimal(longitude)
    if lat is None:
        errors["latitude"] = _("Latitude must be a number of degrees, such as 51.5072.")
    elif not -90 <= lat <= 90:
        errors["latitude"] = _("Latitude must be between -90 and 90 degrees.")
    if lng is None:
        errors["longitude"] = _("Longitude must be a number of degrees, such as -0.1276.")
    elif not -180 <= lng <= 180:
        errors["longitude"] = _("Longitude must be between -180 and 180 degrees.")
    if errors:
        raise ValidationError(errors)
    assert lat is not None and lng is not None
    return lat.quantize(PLACES, ROUND_HALF_EVEN), lng.quantize(PLACES, ROUND_HALF_EVEN)


def round_point(latitude: object, longitude: object, metres: int) -> tuple[Decimal, Decimal]:
    """Snap a point to a grid of about ``metres`` (a person's own point, for privacy).

    Latitude snaps to multiples of ``metres`` in degrees of latitude; longitude to multiples
    of ``metres`` in degrees of longitude at the snapped latitude, so every point in one cell
    gives the same answer. ``metres`` of 0 or less only normalises the point.
    """
    lat, lng = parse_point(latitude, longitude)
    if metres <= 0:
        return lat, lng
    lat_step = metres / METRES_PER_DEGREE
    snapped_lat = max(-90.0, min(90.0, round(float(lat) / lat_step) * lat_step))
    # Near the poles a cell spans all longitudes; cap the step at the whole circle.
    cos = max(math.cos(math.radians(snapped_lat)), 1e-6)
    lng_step = min(metres / (METRES_PER_DEGREE * cos), 360.0)
    snapped_lng = round(float(lng) / lng_step) * lng_step
    if snapped_lng > 180:
        snapped_lng -= 360
    elif snapped_lng < -180:
        snapped_lng += 360
    return (
        Decimal(repr(snapped_lat)).quantize(PLACES, ROUND_HALF_EVEN),
        Decimal(repr(snapped_lng)).quantize(PLACES, ROUND_HALF_EVEN),
    )


# --- Boundaries ---------------------------------------------------------------------------


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_boundary")


def _position(value: object, where: str) -> Position:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise _refuse(
            _("%(where)s: each position must be [longitude, latitude].") % {"where": where}
        )
    numbers = []
    for part in value[:2]:
        if isinstance(part, bool) or not isinstance(part, int | float) or not math.isfinite(part):
            raise _refuse(
                _("%(where)s: coordinates must be numbers, found %(value)s.")
                % {"where": where, "value": json.dumps(part, default=str)[:40]}
            )
        numbers.append(float(part))
    lng, lat = numbers
    if not -180 <= lng <= 180 or not -90 <= lat <= 90:
        raise _refuse(
            _(
                "%(where)s: [%(lng)s, %(lat)s] is out of range (longitude first, -180 to 180; "
                "then latitude, -90 to 90)."
            )
            % {"where": where, "lng": lng, "lat": lat}
        )
    return lng, lat


def _ring_area(ring: Sequence[Position]) -> float:
    """Signed area by the shoelace formula (square degrees; only its sign and zero matter)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def _orientation(a: Position, b: Position, c: Position) -> int:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (value > 0) - (value < 0)


def _on_segment(a: Position, b: Position, c: Position) -> bool:
    """``c`` (collinear with a and b) lies within the segment's box."""
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_cross(p1: Position, p2: Position, q1: Position, q2: Position) -> bool:
    o1, o2 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    o3, o4 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    if o1 != o2 and o3 != o4:
        return True
    return (
        (o1 == 0 and _on_segment(p1, p2, q1))
        or (o2 == 0 and _on_segment(p1, p2, q2))
        or (o3 == 0 and _on_segment(q1, q2, p1))
        or (o4 == 0 and _on_segment(q1, q2, p2))
    )


def _self_intersects(ring: Sequence[Position]) -> bool:
    """Does the closed ``ring`` cross itself? A sweep over segments sorted by their left end,
    comparing only segments whose x-ranges overlap (fast for real boundaries)."""
    count = len(ring) - 1
    segments = sorted(
        (min(ring[i][0], ring[i + 1][0]), max(ring[i][0], ring[i + 1][0]), i) for i in range(count)
    )
    for index, (_left, right, i) in enumerate(segments):
        for other_left, _other_right, j in segments[index + 1 :]:
            if other_left > right:
                break
            if abs(i - j) in (1, count - 1):  # neighbours share an end point
                continue
            if _segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                return True
    return False


def _ring(value: object, where: str) -> Ring:
    if not isinstance(value, list | tuple):
        raise _refuse(_("%(where)s must be a list of positions.") % {"where": where})
    if len(value) < 4:
        raise _refuse(
            _(
                "%(where)s has %(n)d positions; a ring needs at least 4 (three corners and the "
                "first one again to close it)."
            )
            % {"where": where, "n": len(value)}
        )
    ring = [_position(item, where) for item in value]
    if ring[0] != ring[-1]:
        raise _refuse(
            _("%(where)s is not closed: its last position must repeat its first.")
            % {"where": where}
        )
    if len(set(ring)) < 3 or _ring_area(ring) == 0:
        raise _refuse(
            _("%(where)s encloses no area (its corners are repeated or on one line).")
            % {"where": where}
        )
    if _self_intersects(ring):
        raise _refuse(_("%(where)s crosses itself.") % {"where": where})
    return ring


def _polygon(value: object, where: str) -> list[Ring]:
    if not isinstance(value, list | tuple) or not value:
        raise _refuse(
            _("%(where)s must be a list of rings: the outline, then any holes.") % {"where": where}
        )
    rings = [
        _ring(
            ring,
            _("%(where)s, outline") % {"where": where}
            if index == 0
            else _("%(where)s, hole %(n)d") % {"where": where, "n": index},
        )
        for index, ring in enumerate(value)
    ]
    for index, hole in enumerate(rings[1:], start=1):
        if not _in_ring(rings[0], hole[0][1], hole[0][0]):
            raise _refuse(
                _("%(where)s, hole %(n)d lies outside the outline.") % {"where": where, "n": index}
            )
    return rings


def _geometry_of(geojson: object) -> object:
    """The geometry inside a pasted Feature or one-feature FeatureCollection, or itself."""
    if isinstance(geojson, dict):
        if geojson.get("type") == "Feature":
            return geojson.get("geometry")
        if geojson.get("type") == "FeatureCollection":
            features = geojson.get("features")
            if isinstance(features, list) and len(features) == 1:
                return _geometry_of(features[0])
            raise _refuse(
                _("A FeatureCollection must hold exactly one district; upload them one by one.")
            )
    return geojson


def validate_boundary(geojson: object) -> dict[str, Any]:
    """A district boundary as a clean GeoJSON geometry, or ``ValidationError`` naming the
    problem.

    Takes a Polygon or MultiPolygon geometry (or a Feature / one-feature FeatureCollection
    holding one, or the same as JSON text). Rings must be closed, have at least four
    positions, enclose some area and not cross themselves; holes must lie inside their
    outline; coordinates are ``[longitude, latitude]`` in range. Returns
    ``{"type": ..., "coordinates": ...}`` with altitudes dropped.
    """
    if isinstance(geojson, str | bytes):
        try:
            geojson = json.loads(geojson)
        except ValueError as error:
            raise _refuse(_("This is not valid JSON: %(error)s") % {"error": error}) from None
        except RecursionError:
            raise _refuse(_("The boundary's coordinates are nested too deeply.")) from None
    geometry = _geometry_of(geojson)
    if not isinstance(geometry, dict):
        raise _refuse(_("A boundary must be a GeoJSON object with a type and coordinates."))
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise _refuse(
            _("A boundary must be a GeoJSON Polygon or MultiPolygon, not %(type)s.")
            % {"type": json.dumps(kind, default=str)[:40]}
        )
    if not isinstance(coordinates, list | tuple):
        raise _refuse(_("The boundary has no coordinates."))
    if _count_positions(coordinates) > MAX_POSITIONS:
        raise _refuse(
            _("The boundary has too many positions (at most %(n)d); simplify it first.")
            % {"n": MAX_POSITIONS}
        )
    if kind == "Polygon":
        polygons = [_polygon(coordinates, _("Polygon"))]
    else:
        if not coordinates:
            raise _refuse(_("The MultiPolygon has no polygons."))
        polygons = [
            _polygon(polygon, _("Polygon %(n)d") % {"n": index})
            for index, polygon in enumerate(coordinates, start=1)
        ]
    clean = [[[list(position) for position in ring] for ring in polygon] for polygon in polygons]
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": clean[0]}
    return {"type": "MultiPolygon", "coordinates": clean}


def _count_positions(value: object, depth: int = 0) -> int:
    """How many positions (innermost lists) nested lists hold; bounded depth, so hostile
    nesting cannot recurse far."""
    if depth > 3:
        raise _refuse(_("The boundary's coordinates are nested too deeply."))
    if not isinstance(value, list | tuple):
        return 0
    if not value or not isinstance(value[0], list | tuple):
        return 1
    return sum(_count_positions(item, depth + 1) for item in value)


def _polygons(boundary: dict[str, Any]) -> list[list[list[list[float]]]]:
    if boundary.get("type") == "Polygon":
        return [boundary["coordinates"]]
    return list(boundary.get("coordinates") or [])


def _in_ring(ring: Sequence[Sequence[float]], latitude: float, longitude: float) -> bool:
    """Ray casting: does a ray east from the point cross the ring an odd number of times?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > latitude) != (yj > latitude) and longitude < (xj - xi) * (latitude - yi) / (
            yj - yi
        ) + xi:
            inside = not inside
        j = i
    return inside


def contains(boundary: dict[str, Any], latitude: object, longitude: object) -> bool:
    """Is the point inside ``boundary`` (a validated Polygon or MultiPolygon)? Holes count as
    outside. A point exactly on an edge may fall either way."""
    lat, lng = parse_point(latitude, longitude)
    y, x = float(lat), float(lng)
    for polygon in _polygons(boundary):
        if not polygon or not _in_ring(polygon[0], y, x):
            continue
        if not any(_in_ring(hole, y, x) for hole in polygon[1:]):
            return True
    return False


def bounding_box(boundary: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """``(min_latitude, max_latitude, min_longitude, max_longitude)`` of the outlines, widened
    outwards to six places so the prefilter never excludes a point on the edge."""
    longitudes: list[float] = []
    latitudes: list[float] = []
    for polygon in _polygons(boundary):
        for lng, lat, *_rest in polygon[0] if polygon else []:
            longitudes.append(lng)
            latitudes.append(lat)
    if not latitudes:
        raise _refuse(_("The boundary has no coordinates."))

    def down(value: float) -> Decimal:
        return Decimal(repr(value)).quantize(PLACES, ROUND_FLOOR)

    def up(value: float) -> Decimal:
        return Decimal(repr(value)).quantize(PLACES, ROUND_CEILING)

    return down(min(latitudes)), up(max(latitudes)), down(min(longitudes)), up(max(longitudes))


def representative_point(boundary: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """A point inside the boundary's largest outline, as ``(latitude, longitude)``: where a
    map shows something known only by its district (an exchange post's area).

    The middle of the widest stretch of the outline along the latitude of its centre of
    area: unlike the centroid, always inside, even for a crescent.
    """
    outlines = [polygon[0] for polygon in _polygons(boundary) if polygon]
    if not outlines:
        raise _refuse(_("The boundary has no coordinates."))
    ring = max(outlines, key=lambda r: abs(_ring_area([(p[0], p[1]) for p in r])))
    area = _ring_area([(p[0], p[1]) for p in ring])
    cy = sum(
        (y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1, *_a), (x2, y2, *_b) in itertools.pairwise(ring)
    ) / (6 * area)
    crossings = sorted(
        x1 + (cy - y1) * (x2 - x1) / (y2 - y1)
        for (x1, y1, *_a), (x2, y2, *_b) in itertools.pairwise(ring)
        if (y1 > cy) != (y2 > cy)
    )
    spans = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not spans:  # degenerate; the first corner is at least on the outline
        return parse_point(ring[0][1], ring[0][0])
    west, east = max(spans, key=lambda span: span[1] - span[0])
    return parse_point(repr(cy), repr((west + east) / 2))
