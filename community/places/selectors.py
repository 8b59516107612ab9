"""Reads for places."""

from __future__ import annotations

from community.places import geometry
from community.places.models import District


def district_for(latitude: object, longitude: object) -> District | None:
    """The district containing the point, or None outside every district.

    One query: the bounding boxes narrow the candidates, the polygons decide. Where
    districts overlap, the smallest box (the most specific district) wins, then the name.
    """
    lat, lng = geometry.parse_point(latitude, longitude)
    candidates = District.objects.filter(
        min_latitude__lte=lat,
        max_latitude__gte=lat,
        min_longitude__lte=lng,
        max_longitude__gte=lng,
    )
    inside = [d for d in candidates if geometry.contains(d.boundary, lat, lng)]
    if not inside:
        return None
    return min(
        inside,
        key=lambda d: (
            (d.max_latitude - d.min_latitude) * (d.max_longitude - d.min_longitude),
            d.name,
            d.pk,
        ),
    )


def district_by_slug(slug: str) -> District | None:
    return District.objects.filter(slug=slug).first() if slug else None


def districts() -> list[District]:
    """Every district, by name (for choices and filters), with its agency."""
    return list(District.objects.select_related("organisation"))
