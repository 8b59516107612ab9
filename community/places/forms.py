"""Forms of the places pages and the place fields other apps' forms include."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.places import layers
from community.places.models import District


def district_choices(districts: list[District], empty: str | Any) -> list[tuple[str, Any]]:
    return [("", empty), *((d.slug, d.name) for d in districts)]


class MapFilterForm(PlainErrorsMixin, forms.Form):
    """The city-wide map's filters. The "near me" point is only read for this request (to find
    the district and sort by distance), never stored."""

    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("What"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    near_latitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8
    )
    near_longitude = forms.DecimalField(
        required=False, widget=forms.HiddenInput, max_digits=12, decimal_places=8
    )

    def __init__(self, *args: Any, districts: list[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices(districts, _("Every district"))
        self.fields["kind"].choices = [
            ("", _("Everything")),
            *((layer.kind, layer.label) for layer in layers.layers()),
        ]
        statuses: dict[str, Any] = {}
        for layer in layers.layers():
            for value, label in layer.statuses:
                statuses.setdefault(value, label)
        self.fields["status"].choices = [("", _("Any status")), *statuses.items()]


class PlaceFormMixin(forms.Form):
    """Optional point (latitude, longitude) and district for a content form.

    The action decides: a point wins over the chosen district (its district is found), a
    citizen's point is rounded. Call :meth:`setup_place_fields` from ``__init__``.
    """

    # Text, not DecimalField: the action's parse_point says what is wrong in words people
    # understand (out of range, not a number), the same on every form and in the API.
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=40,
        help_text=_("Optional. Decimal degrees, e.g. 53.4808. Pick on the map if you can."),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=40,
        help_text=_("Optional. Decimal degrees, e.g. -2.2426."),
    )
    district = forms.ChoiceField(
        label=_("District"),
        required=False,
        help_text=_("Optional, if you give no point: the area it is about."),
    )

    def setup_place_fields(self, districts: list[District]) -> None:
        self.place_districts = {d.slug: d for d in districts}
        self.fields["district"].choices = district_choices(districts, _("None or citywide"))  # type: ignore[attr-defined]

    def place_arguments(self) -> dict[str, Any]:
        """Keyword arguments for the content's action: latitude, longitude, district."""
        data = self.cleaned_data
        return {
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "district": self.place_districts.get(data.get("district") or ""),
        }
