"""GeoJSON in the open-data API: public items with a place, and district outlines.

``/api/v1/places/`` is the city-wide map's data (every registered layer: ideas, challenges,
open co-design sessions, exchange offers and requests at their area only), filtered like the
map page by ``district``, ``kind`` and ``status``; ``/api/v1/districts/`` the outlines.
Only public items (never hidden, held, private or invited); read-only; RFC 7946 GeoJSON.
Not in the bulk download (its tables are rows, not geometry).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.base import conditional
from community.places import geojson, layers
from community.places import selectors as place_selectors


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “Point”."))
    coordinates = serializers.ListField(
        child=serializers.FloatField(),
        help_text=gettext_lazy("[longitude, latitude] in WGS84 degrees."),
    )


class PlacePropertiesSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=gettext_lazy("The item's id in its own endpoint."))
    kind = serializers.CharField(
        help_text=gettext_lazy("idea, challenge, session or exchange (and any added layer).")
    )
    kind_label = serializers.CharField(help_text=gettext_lazy("The kind, in words."))
    title = serializers.CharField(help_text=gettext_lazy("Title or question, plain text."))
    url = serializers.CharField(help_text=gettext_lazy("Path of its page on this site."))
    district = serializers.CharField(
        help_text=gettext_lazy("Name of its district (empty: outside every district).")
    )
    status = serializers.CharField(help_text=gettext_lazy("Status or phase value."))
    status_label = serializers.CharField(help_text=gettext_lazy("Status or phase, in words."))
    area_only = serializers.BooleanField(
        help_text=gettext_lazy(
            "True when the point is only the middle of its area (exchange posts)."
        )
    )


class PlaceFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “Feature”."))
    geometry = PointSerializer(help_text=gettext_lazy("Where it is."))
    properties = PlacePropertiesSerializer(help_text=gettext_lazy("What it is."))


class PlaceCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “FeatureCollection”."))
    features = PlaceFeatureSerializer(many=True, help_text=gettext_lazy("One per item."))


class DistrictPropertiesSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=gettext_lazy("The district's name."))
    slug = serializers.CharField(help_text=gettext_lazy("Its slug: the ``district`` filter."))
    agency = serializers.CharField(help_text=gettext_lazy("The agency that defines it."))


class DistrictGeometrySerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("“Polygon” or “MultiPolygon”."))
    coordinates = serializers.JSONField(
        help_text=gettext_lazy("Rings of [longitude, latitude] positions (RFC 7946).")
    )


class DistrictFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “Feature”."))
    id = serializers.CharField(help_text=gettext_lazy("The district's slug."))
    geometry = DistrictGeometrySerializer(help_text=gettext_lazy("Its boundary."))
    properties = DistrictPropertiesSerializer(help_text=gettext_lazy("Its name and agency."))


class DistrictCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “FeatureCollection”."))
    features = DistrictFeatureSerializer(many=True, help_text=gettext_lazy("One per district."))


def _refuse_unknown(params, allowed: set[str]) -> None:
    unknown = [name for name in params if name not in allowed]
    if unknown:
        raise ValidationError(
            {
                name: [
                    _("Unknown parameter. This list takes: %(names)s.")
                    % {"names": ", ".join(sorted(allowed)) or "-"}
                ]
                for name in unknown
            }
        )


class PlaceViewSet(viewsets.GenericViewSet):
    """Public items with a point, as GeoJSON: what the city-wide map shows."""

    serializer_class = PlaceCollectionSerializer
    pagination_class = None
    dataset = None

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description=gettext_lazy("District slug.")),
            OpenApiParameter(
                "kind", str, description=gettext_lazy("idea, challenge, session or exchange.")
            ),
            OpenApiParameter("status", str, description=gettext_lazy("Status or phase value.")),
        ],
        responses=PlaceCollectionSerializer,
    )
    def list(self, request):
        params = request.query_params
        _refuse_unknown(params, {"district", "kind", "status"})
        errors = {}
        district = None
        if params.get("district"):
            district = place_selectors.district_by_slug(params["district"][:80])
            if district is None:
                errors["district"] = [_("No district has this slug.")]
        kind = params.get("kind", "")
        if kind and layers.layer(kind) is None:
            errors["kind"] = [
                _("Choose one of: %(kinds)s.")
                % {"kinds": ", ".join(lay.kind for lay in layers.layers())}
            ]
        if errors:
            raise ValidationError(errors)
        items = layers.map_items(
            kinds=[kind] if kind else [], district=district, status=params.get("status", "")[:40]
        )
        return Response(
            geojson.feature_collection((i.latitude, i.longitude, i.properties()) for i in items)
        )


class DistrictViewSet(viewsets.GenericViewSet):
    """District outlines as GeoJSON Polygons and MultiPolygons."""

    serializer_class = DistrictCollectionSerializer
    pagination_class = None
    dataset = None

    @extend_schema(responses=DistrictCollectionSerializer)
    def list(self, request):
        _refuse_unknown(request.query_params, set())
        return Response(geojson.district_collection(place_selectors.districts()))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # ETag only: a district's boundary may change without a newer timestamp.
        return conditional(request, response, None)
