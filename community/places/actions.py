"""Writes for places: a point on content, and districts.

:func:`place_assign` does not save: the content's own action calls it inside its
transaction and saves the object with everything else. District changes are
configuration (like role changes) that no live page shows, so they publish no realtime
event. Moving a boundary does not re-assign existing points; new points always get the
current districts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import Organisation
from community.places import geometry, permissions, selectors
from community.places.models import District
from community.text import clean_title
from community.types import AnyUser


def round_metres() -> int:
    """How coarsely a person's own point is kept (setting ``PLACES_ROUND_METRES``)."""
    return int(getattr(settings, "PLACES_ROUND_METRES", 100))


def place_assign(
    obj: Any,
    *,
    latitude: object,
    longitude: object,
    precise: bool,
    district: District | None = None,
) -> None:
    """Set ``obj``'s point and district (``obj`` inherits ``PlaceFields``); does not save.

    The point is rounded to about ``PLACES_ROUND_METRES`` unless ``precise`` (an agency
    posted it). The district is the one containing the point as given (None outside every
    district). With no point (both None) the point is cleared and the district is
    ``district`` (a chosen area, or None). One coordinate without the other, junk or out of
    range raises ``ValidationError`` keyed ``latitude`` / ``longitude``.
    """
    blank_lat = latitude is None or latitude == ""
    blank_lng = longitude is None or longitude == ""
    if blank_lat and blank_lng:
        obj.latitude = obj.longitude = None
        obj.district = district
        return
    if blank_lat or blank_lng:
        missing = "latitude" if blank_lat else "longitude"
        raise ValidationError(
            {missing: _("Give both latitude and longitude, or neither.")}, code="half_point"
        )
    lat, lng = geometry.parse_point(latitude, longitude)
    obj.district = selectors.district_for(lat, lng)
    if not precise:
        lat, lng = geometry.round_point(lat, lng, round_metres())
    obj.latitude, obj.longitude = lat, lng


def area_assign(obj: Any, *, district: District | None) -> None:
    """Place ``obj`` by its area only: the district, and as its point the district's centre
    (never the person's own point; exchange posts). Does not save."""
    obj.district = district
    if district is None:
        obj.latitude = obj.longitude = None
    else:
        obj.latitude, obj.longitude = district.centre


def _slug_taken(slug: str, exclude: int | None) -> bool:
    others = District.objects.filter(slug=slug)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return others.exists()


def _unique_slug(name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:70] or "district"
    slug, n = base, 2
    while _slug_taken(slug, exclude):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_slug(slug: str, exclude: int | None = None) -> str:
    slug = slug.strip()
    if slug != slugify(slug) or not slug or len(slug) > 80:
        raise ValidationError(
            {"slug": _("Use lowercase letters, digits and hyphens (at most 80).")}
        )
    if _slug_taken(slug, exclude):
        raise ValidationError({"slug": _("Another district already uses this slug.")})
    return slug


def _ensure_may_manage(by: AnyUser, organisation: Organisation) -> None:
    if not permissions.can_manage_district(by, organisation):
        raise PermissionDenied(_("Only this agency's staff can define its districts."))


def _boundary(value: object) -> dict[str, Any]:
    try:
        return geometry.validate_boundary(value)
    except ValidationError as error:
        raise ValidationError({"boundary": error.messages}) from None


def district_create(
    *,
    by: AnyUser,
    organisation: Organisation,
    name: str,
    boundary: object,
    slug: str = "",
    translations: dict[str, Any] | None = None,
) -> District:
    """A new district of ``organisation`` (its staff only), boundary validated."""
    _ensure_may_manage(by, organisation)
    clean_name = clean_title(name, field="name", label=_("Name"), max_length=120)
    clean_boundary = _boundary(boundary)
    with transaction.atomic():
        district = District(
            organisation=organisation,
            name=clean_name,
            slug=_check_slug(slug) if slug else _unique_slug(clean_name),
            boundary=clean_boundary,
            translations=translations or {},
        )
        district.save()
    return district


def district_update(
    *,
    by: AnyUser,
    district: District,
    name: str | None = None,
    boundary: object = None,
    slug: str | None = None,
    translations: dict[str, Any] | None = None,
) -> District:
    """Change a district's name, slug, boundary or translations (its agency's staff only).

    Points already assigned keep their district; only new points see a moved boundary.
    """
    _ensure_may_manage(by, district.organisation)
    if name is not None:
        district.name = clean_title(name, field="name", label=_("Name"), max_length=120)
    if slug is not None:
        district.slug = _check_slug(slug, exclude=district.pk)
    if boundary is not None:
        district.boundary = _boundary(boundary)
    if translations is not None:
        district.translations = translations
    with transaction.atomic():
        district.save()
    return district
