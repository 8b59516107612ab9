"""What the maps show: each app registers a *layer* of public items that may carry a point.

Community never imports ideas (GUIDE.md), so the city-wide map (``places:map``) asks this
registry: ideas registers challenges, ideas and co-design sessions; the exchange registers
offers and requests (their area only); participatory budgeting may register its projects.
A layer's function returns only what anyone may see (never hidden, held or private items)
with a bounded number of queries, whatever it returns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from community.places.models import District

#: At most this many items per layer on one map page (the newest first); the list says so.
LAYER_LIMIT = 500


@dataclass(frozen=True)
class MapFilter:
    """What a map page asks of each layer."""

    district: District | None = None
    status: str = ""
    limit: int = LAYER_LIMIT


@dataclass(frozen=True)
class MapItem:
    """One public item with a point, as maps, lists and GeoJSON show it."""

    kind: str
    kind_label: str
    title: str
    url: str
    latitude: Decimal
    longitude: Decimal
    district: str = ""
    status: str = ""
    status_label: str = ""
    #: The point is only the item's area (exchange posts): say so beside it.
    area_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def properties(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": str(self.kind_label),
            "title": str(self.title),
            "url": self.url,
            "district": str(self.district),
            "status": self.status,
            "status_label": str(self.status_label),
            "area_only": self.area_only,
            **self.extra,
        }

    def distance_to(self, latitude: Decimal, longitude: Decimal) -> float:
        """Approximate metres (equirectangular: fine within a city)."""
        lat1, lat2 = math.radians(float(self.latitude)), math.radians(float(latitude))
        dx = math.radians(float(longitude) - float(self.longitude)) * math.cos((lat1 + lat2) / 2)
        return 6_371_000 * math.hypot(dx, lat2 - lat1)


@dataclass(frozen=True)
class Layer:
    kind: str
    label: str | Promise
    items: Callable[[MapFilter], list[MapItem]]
    #: The statuses its items may have, for the status filter: (value, label).
    statuses: Sequence[tuple[str, str | Promise]] = ()


_layers: dict[str, Layer] = {}


def register_layer(layer: Layer) -> None:
    """Add (or replace, on reload) a layer; called from an app's ``ready()``."""
    _layers[layer.kind] = layer


def layers() -> list[Layer]:
    return list(_layers.values())


def layer(kind: str) -> Layer | None:
    return _layers.get(kind)


def map_items(
    *, kinds: Sequence[str] = (), district: District | None = None, status: str = ""
) -> list[MapItem]:
    """Items of the chosen layers (all if none), in the district, of ``status`` if given
    (layers without that status are skipped)."""
    chosen = [lay for lay in _layers.values() if not kinds or lay.kind in kinds]
    wanted = MapFilter(district=district, status=status)
    items: list[MapItem] = []
    for lay in chosen:
        if status and status not in {value for value, _label in lay.statuses}:
            continue
        items.extend(lay.items(wanted))
    return items
