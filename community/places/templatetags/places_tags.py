"""``{% places_map %}``: the one map include every map page uses (boards, exchange, PB)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


@register.inclusion_tag("places/_map.html")
def places_map(
    points: dict[str, Any],
    districts: dict[str, Any] | None = None,
    *,
    map_id: str = "places-map",
    list_id: str = "places-list",
    selected: str = "",
) -> dict[str, Any]:
    """A Leaflet map of ``points`` (a GeoJSON FeatureCollection from
    :func:`community.places.geojson.feature_collection`) over ``districts`` outlines.

    The page must also list the same items in an element with id ``list_id``: the map is an
    enhancement, labelled as such, and the skip link jumps to the list. Tiles come from
    ``MAP_TILE_URL``; without tiles (or when they fail) the points show on a plain
    background with the district outlines.
    """
    return {
        # Data attributes, not <script type="application/json">: pages carry no inline
        # script element at all (autoescaping makes the JSON a safe attribute value).
        "points_json": _json(points),
        "districts_json": _json(districts or {"type": "FeatureCollection", "features": []}),
        "count": len(points.get("features", [])),
        "map_id": map_id,
        "list_id": list_id,
        "selected": selected,
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }


@register.inclusion_tag("places/_pick.html")
def places_pick(form: Any, districts: list[Any] | None = None) -> dict[str, Any]:
    """Click-to-pick for a form with ``latitude`` and ``longitude`` fields (JavaScript only).

    The map is a mouse and touch shortcut for the two number fields, which stay the way to
    enter a point by keyboard or without JavaScript; so it is hidden from assistive
    technology and takes no focus.
    """
    from community.places.geojson import district_collection

    if districts is None:
        districts = list(getattr(form, "place_districts", {}).values())
    return {
        "latitude_id": form["latitude"].auto_id,
        "longitude_id": form["longitude"].auto_id,
        "districts_json": _json(district_collection(districts)),
        "tile_url": getattr(settings, "MAP_TILE_URL", ""),
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }
