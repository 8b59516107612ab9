"""The city-wide map ("Near me"): every registered layer, filters, and the same items as a list."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community.places import geojson, geometry, layers, selectors
from community.places.forms import MapFilterForm


def places_map(request: HttpRequest) -> HttpResponse:
    """Public items with a point, filtered by district, kind and status.

    "Near me" (browser location, JavaScript only) sends a point: its district is chosen
    and the list is sorted nearest first. Without JavaScript people choose a district.
    """
    districts = selectors.districts()
    form = MapFilterForm(request.GET or None, districts=districts)
    by_slug = {d.slug: d for d in districts}
    district = None
    kind = status = ""
    near = None
    near_error = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        district = by_slug.get(data["district"])
        kind, status = data["kind"], data["status"]
        if data["near_latitude"] is not None and data["near_longitude"] is not None:
            try:
                near = geometry.parse_point(data["near_latitude"], data["near_longitude"])
            except ValidationError as error:
                near_error = " ".join(error.messages)
            else:
                district = selectors.district_for(*near)
    items = layers.map_items(kinds=[kind] if kind else [], district=district, status=status)
    if near is not None:
        items.sort(key=lambda item: item.distance_to(*near))
    points = geojson.feature_collection((i.latitude, i.longitude, i.properties()) for i in items)
    return render(
        request,
        "places/map.html",
        {
            "form": form,
            "items": items,
            "points": points,
            "district_outlines": geojson.district_collection(districts),
            "district": district,
            "near": near,
            "near_error": near_error,
            "limit": layers.LAYER_LIMIT,
            "filtered": bool(district or kind or status),
        },
    )
