"""Districts in the Django admin, for agency staff: paste or upload GeoJSON.

Every save goes through :func:`community.places.actions.district_create` /
``district_update`` (the same checks as anywhere else); a broken boundary is refused with
the reason on the form. Staff see and change their own agencies' districts only. Deleting is
not offered here: content keeps its district (``SET_NULL`` would silently drop it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from community.models import Organisation
from community.permissions import is_public_servant, is_staff_of
from community.places import actions, geometry
from community.places.models import District
from community.text import clean_title

MAX_UPLOAD_BYTES = 5_000_000


class BoundaryField(forms.JSONField):
    widget = forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})


class DistrictAdminForm(forms.ModelForm):
    boundary = BoundaryField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        help_text=_(
            "Paste a GeoJSON Polygon or MultiPolygon (or a Feature holding one), coordinates "
            "as [longitude, latitude], or upload a file below."
        ),
    )
    boundary_file = forms.FileField(
        label=_("…or upload a GeoJSON file"), required=False, help_text=_("At most 5 MB.")
    )

    class Meta:
        model = District
        fields = ["organisation", "name", "slug", "boundary", "translations"]

    def clean_name(self) -> str:
        try:
            return clean_title(
                self.cleaned_data.get("name", ""), field="name", label=_("Name"), max_length=120
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("boundary_file")
        value: object = data.get("boundary")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("boundary_file", _("The file is larger than 5 MB."))
                return data
            try:
                value = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("boundary_file", _("The file is not UTF-8 text."))
                return data
        if value in (None, ""):
            self.add_error("boundary", _("Give the district's boundary."))
            return data
        try:
            data["boundary"] = geometry.validate_boundary(value)
        except ValidationError as error:
            self.add_error("boundary_file" if upload else "boundary", error)
        return data


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    form = DistrictAdminForm
    list_display = ["name", "slug", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "slug"]
    readonly_fields = ["min_latitude", "max_latitude", "min_longitude", "max_longitude"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        districts = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return districts
        return districts.filter(organisation__memberships__user=request.user).distinct()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "organisation"] if obj is not None else fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organisation":
            agencies = Organisation.objects.filter(kind=Organisation.Kind.AGENCY)
            if not request.user.is_superuser:
                agencies = agencies.filter(memberships__user=request.user).distinct()
            kwargs["queryset"] = agencies
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(is_public_servant(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return bool(is_public_servant(request.user))
        return bool(is_staff_of(request.user, obj.organisation))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(is_public_servant(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: District, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:  # PermissionDenied (not this agency's staff) becomes the admin's 403
            if change:
                saved = actions.district_update(
                    by=request.user,
                    district=obj,
                    name=data["name"],
                    slug=data["slug"],
                    boundary=data["boundary"],
                    translations=data.get("translations") or {},
                )
            else:
                saved = actions.district_create(
                    by=request.user,
                    organisation=data["organisation"],
                    name=data["name"],
                    slug=data["slug"],
                    boundary=data["boundary"],
                    translations=data.get("translations") or {},
                )
        except ValidationError as error:  # the form checked these; a race leaves this
            raise PermissionDenied(" ".join(error.messages)) from None
        obj.pk = saved.pk
