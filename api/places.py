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


class PlaceCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “FeatureCollection”."))
    features = serializers.JSONField(
        help_text=gettext_lazy(
            "GeoJSON Point features, one per item: geometry [longitude, latitude]; properties "
            "id, kind, kind_label, title, url, district, status, status_label, area_only "
            "(docs/api.md)."
        )
    )


class DistrictCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text=gettext_lazy("Always “FeatureCollection”."))
    features = serializers.JSONField(
        help_text=gettext_lazy(
            "GeoJSON features, one per district: id (its slug), a Polygon or MultiPolygon "
            "geometry, properties name, slug and agency."
        )
    )


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
