"""What ``ideas`` knows about services without importing ``cms``: a lookup ``cms`` fills.

Feedback is about a service, which is a ``cms.ServicePage`` (a Wagtail page). ``ideas`` may
not import ``cms`` models, so ``cms`` registers two callables in ``CmsConfig.ready()``
(``cms/experience.py``)::

    register_catalogue(service=lambda page_id: ServiceRef | None,
                       agency_services=lambda agency_id: list[ServiceRef])

A service is always named by its default-language page (``ServiceRef.id``) and its brand
values by their default-language snippets, so an answer given on the Spanish page counts for
the same service and promise as one given on the English page. Labels are in the active
language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BrandValueRef:
    id: int
    statement: str


@dataclass(frozen=True)
class ServiceRef:
    id: int
    title: str
    agency_id: int | None
    live: bool
    url: str = ""
    brand_values: tuple[BrandValueRef, ...] = field(default_factory=tuple)

    def brand_value(self, value_id: int) -> BrandValueRef | None:
        return next((v for v in self.brand_values if v.id == value_id), None)


_lookup: dict[str, Callable] = {}


def register_catalogue(
    *,
    service: Callable[[int], ServiceRef | None],
    agency_services: Callable[[int], list[ServiceRef]],
) -> None:
    _lookup["service"] = service
    _lookup["agency_services"] = agency_services


def service(page_id: int) -> ServiceRef | None:
    """The service a page (in any language) is, or None if it is not a service page."""
    if "service" not in _lookup:
        return None
    return _lookup["service"](page_id)


def agency_services(agency_id: int) -> list[ServiceRef]:
    """Every service the agency is responsible for (live or not), by title."""
    if "agency_services" not in _lookup:
        return []
    return _lookup["agency_services"](agency_id)
