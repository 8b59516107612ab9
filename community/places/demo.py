"""Northvale's districts: five neighbourhoods the planning agency defines (the same names
as the exchange's areas, so offers and requests land in them)."""

from __future__ import annotations

from community.models import Organisation
from community.places.models import District

ORDER = 11  # after people and agencies (10), before the exchange (15) and ideas (30)

AGENCY = "housing-planning"


def _ring(*corners: tuple[float, float]) -> list[list[float]]:
    return [[lng, lat] for lng, lat in (*corners, corners[0])]


# (slug, name, Spanish name, outline as (longitude, latitude) corners)
DISTRICTS = [
    (
        "old-town",
        "Old Town",
        "Casco Antiguo",
        _ring((-1.915, 53.69), (-1.885, 53.69), (-1.88, 53.705), (-1.90, 53.713), (-1.92, 53.705)),
    ),
    (
        "northfield",
        "Northfield",
        "Northfield",
        _ring(
            (-1.95, 53.705),
            (-1.92, 53.705),
            (-1.90, 53.713),
            (-1.88, 53.705),
            (-1.85, 53.705),
            (-1.85, 53.74),
            (-1.95, 53.74),
        ),
    ),
    (
        "harbour",
        "Harbour",
        "El Puerto",
        _ring((-1.95, 53.67), (-1.915, 53.67), (-1.915, 53.69), (-1.92, 53.705), (-1.95, 53.705)),
    ),
    (
        "eastgate",
        "Eastgate",
        "Eastgate",
        _ring((-1.885, 53.69), (-1.885, 53.67), (-1.85, 53.67), (-1.85, 53.705), (-1.88, 53.705)),
    ),
    (
        "hillcrest",
        "Hillcrest",
        "Hillcrest",
        _ring((-1.915, 53.67), (-1.915, 53.69), (-1.885, 53.69), (-1.885, 53.67), (-1.90, 53.655)),
    ),
]


def seed(context: dict) -> dict:
    agency = (context.get("agencies") or {}).get(AGENCY) or Organisation.objects.filter(
        slug=AGENCY
    ).first()
    if agency is None:
        return {}
    districts = {}
    for slug, name, spanish, ring in DISTRICTS:
        districts[slug], _created = District.objects.get_or_create(
            slug=slug,
            defaults={
                "organisation": agency,
                "name": name,
                "boundary": {"type": "Polygon", "coordinates": [ring]},
                "translations": {"es": {"name": spanish}} if spanish != name else {},
            },
        )
    return {"districts": districts}
