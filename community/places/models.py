"""Districts agencies define, and the place fields content models inherit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from community.content_i18n import translated_fields
from community.places import geometry


def _validate_boundary(value: Any) -> None:
    geometry.validate_boundary(value)


@translated_fields("name")
class District(models.Model):
    """An area an agency defines (a ward, a neighbourhood) as a GeoJSON polygon.

    ``boundary`` is a GeoJSON Polygon or MultiPolygon geometry in WGS84 (``[lon, lat]``).
    The bounding box is computed from it on every save and lets
    :func:`community.places.selectors.district_for` ask the database for candidates
    before testing the polygon in Python.
    """

    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="districts",
        help_text=_("The agency that defines this district."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    boundary = models.JSONField(
        _("boundary"),
        validators=[_validate_boundary],
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon in WGS84, coordinates as [longitude, latitude]."
        ),
    )
    min_latitude = models.DecimalField(_("southern edge"), max_digits=9, decimal_places=6)
    max_latitude = models.DecimalField(_("northern edge"), max_digits=9, decimal_places=6)
    min_longitude = models.DecimalField(_("western edge"), max_digits=9, decimal_places=6)
    max_longitude = models.DecimalField(_("eastern edge"), max_digits=9, decimal_places=6)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"name": "…"}} (see docs/languages.md).'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        indexes = [
            models.Index(
                fields=["min_latitude", "max_latitude", "min_longitude", "max_longitude"],
                name="places_district_bbox",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps the bounding box in step with the boundary."""
        (
            self.min_latitude,
            self.max_latitude,
            self.min_longitude,
            self.max_longitude,
        ) = geometry.bounding_box(self.boundary)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "boundary" in update_fields:
            kwargs["update_fields"] = {
                *update_fields,
                "min_latitude",
                "max_latitude",
                "min_longitude",
                "max_longitude",
            }
        super().save(*args, **kwargs)

    @property
    def centre(self) -> tuple[Decimal, Decimal]:
        """A point inside the district (latitude, longitude): where maps show things known
        only by their district."""
        return geometry.representative_point(self.boundary)


class PlaceFields(models.Model):
    """A point and its district, for content that may say where it is.

    Set them only through :func:`community.places.actions.place_assign` (called from the
    content's own action), which rounds a citizen's point and finds the district.
    """

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    district = models.ForeignKey(
        "places.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
