"""GeoJSON (RFC 7946) from points and districts: what maps draw and the API returns.

Coordinates are ``[longitude, latitude]`` numbers; items without a point are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from community.places.models import District

Coordinate = Decimal | float | int | str | None


def point_feature(latitude: Coordinate, longitude: Coordinate, properties: dict[str, Any]) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},  # type: ignore[arg-type]
        "properties": properties,
    }


def feature_collection(
    items: Iterable[tuple[Coordinate, Coordinate, dict[str, Any]]],
) -> dict[str, Any]:
    """A FeatureCollection of points from ``(latitude, longitude, properties)``; items with
    no point are skipped. ``properties`` must be JSON-ready (plain strings and numbers)."""
    return {
        "type": "FeatureCollection",
        "features": [
            point_feature(lat, lng, properties)
            for lat, lng, properties in items
            if lat is not None and lng is not None
        ],
    }


def district_collection(districts: Iterable[District]) -> dict[str, Any]:
    """District outlines as a FeatureCollection (name, slug, agency as properties)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": district.slug,
                "geometry": district.boundary,
                "properties": {
                    "name": str(district.name),
                    "slug": district.slug,
                    "agency": str(district.organisation.name),
                },
            }
            for district in districts
        ],
    }
