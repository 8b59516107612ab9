"""Districts for tests; other apps' tests import these."""

from __future__ import annotations

import factory

from community.places.models import District
from community.tests.factories import OrganisationFactory


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A closed anticlockwise ring around a box."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    boundary = factory.LazyFunction(
        lambda: {"type": "Polygon", "coordinates": [square(-1.0, 53.0, -0.9, 53.1)]}
    )
