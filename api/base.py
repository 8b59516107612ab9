"""The base of every open-data endpoint: read-only for anyone, strict about its query, and
cache-friendly (``ETag`` and ``Last-Modified``, answering conditional GETs with 304).

An endpoint is one serialiser plus one subclass of :class:`OpenDataViewSet` registered on
``api.urls.router``; it is then in the schema, the docs, the bulk download (unless
``dataset = None``) and the personal-data leak test, with nothing else to change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from api.pagination import ApiCursorPagination
from community.participation.recorder import recording_channel

PAGING_PARAMS = ("cursor", "page_size")


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` with an unknown field is a 400 naming the fields allowed."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            valid = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            bad = [f for f in fields if f.lstrip("-") not in valid]
            if bad or len(fields) != 1:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Order by one of: %(fields)s (add - in front for descending).")
                            % {"fields": ", ".join(sorted(valid))}
                        ]
                    }
                )
            return fields
        return self.get_default_ordering(view)


class OpenDataViewSet(viewsets.ReadOnlyModelViewSet):
    """Subclasses set ``serializer_class``, ``filterset_class``, ``ordering_fields``,
    ``ordering`` and implement :meth:`public_queryset`."""

    pagination_class = ApiCursorPagination
    lookup_value_regex = "[0-9]+"
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = None
    ordering_fields: tuple[str, ...] = ("created_at",)
    ordering = "-created_at"
    #: timestamp fields whose newest value is the ``Last-Modified`` of a response
    modified_fields: tuple[str, ...] = ("updated_at",)
    #: the bulk-download dataset name (None: not in the download)
    dataset: str | None = None
    dataset_title = ""
    dataset_description = ""

    @classmethod
    def public_queryset(cls) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self):
        return self.public_queryset()

    def dispatch(self, request, *args, **kwargs):
        # Writes made through the API are recorded as such in the insight events.
        with recording_channel("api"):
            return super().dispatch(request, *args, **kwargs)

    # -- strict query strings ---------------------------------------------------------------

    def allowed_params(self) -> set[str]:
        if self.action != "list":
            return set()
        allowed = set(PAGING_PARAMS) | {"ordering"}
        if self.filterset_class is not None:
            allowed |= set(self.filterset_class.base_filters)
        return allowed

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            unknown = sorted(set(request.query_params) - self.allowed_params())
            if unknown:
                allowed = ", ".join(sorted(self.allowed_params())) or _("none")
                raise ValidationError(
                    {
                        name: [
                            _("Unknown parameter. Allowed here: %(allowed)s.")
                            % {"allowed": allowed}
                        ]
                        for name in unknown
                    }
                )

    # -- conditional GET --------------------------------------------------------------------

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown = page if page is not None else []
        return page

    def get_object(self):
        obj = super().get_object()
        self._shown = [obj]
        return obj

    def last_modified(self, objects: Iterable[Any]) -> datetime | None:
        stamps = [
            value
            for obj in objects
            for name in self.modified_fields
            if isinstance(value := getattr(obj, name, None), datetime)
        ]
        return max(stamps) if stamps else None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional(request, response, self.last_modified(getattr(self, "_shown", [])))

    # -- bulk download ----------------------------------------------------------------------

    @classmethod
    def dataset_rows(cls) -> Iterator[dict[str, Any]]:
        """Every public row, serialised as the API shows it, read in chunks."""
        serializer = cls.serializer_class
        for obj in cls.public_queryset().order_by("pk").iterator(chunk_size=500):
            yield serializer(obj, context={"request": None}).data

    @classmethod
    def dataset_fields(cls) -> list[tuple[str, str, str]]:
        """(name, type, description) of each column, from the serialiser."""
        return describe_fields(cls.serializer_class())


def conditional(request, response, modified: datetime | None):
    """Add ``ETag`` (a hash of the body) and ``Last-Modified`` to a successful GET, and turn
    it into a 304 when the client's ``If-None-Match`` / ``If-Modified-Since`` still match."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.render()
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=int(modified.timestamp()) if modified else None,
        response=response,
    )


def describe_fields(serializer) -> list[tuple[str, str, str]]:
    return [
        (name, _type_name(serializer, field), str(field.help_text or ""))
        for name, field in serializer.fields.items()
    ]


def _type_name(serializer, field) -> str:
    from rest_framework import serializers as s

    if isinstance(field, s.ListSerializer | s.ListField):
        return "list (JSON in CSV)"
    if isinstance(field, s.Serializer | s.DictField):
        return "object (JSON in CSV)"
    if isinstance(field, s.SerializerMethodField):
        method = getattr(type(serializer), field.method_name, None)
        annotation = getattr(method, "_spectacular_annotation", {}) or {}
        if annotation.get("type") == "array":
            return "list (JSON in CSV)"
        return "text"
    for kind, name in (
        (s.DateTimeField, "date-time (ISO 8601)"),
        (s.DateField, "date (ISO 8601)"),
        (s.BooleanField, "boolean"),
        (s.IntegerField, "integer"),
        (s.FloatField, "number"),
        (s.PrimaryKeyRelatedField, "integer (id)"),
        (s.ChoiceField, "text (one of a list)"),
    ):
        if isinstance(field, kind):
            return name
    return "text"


class FiguresViewSet(viewsets.GenericViewSet):
    """A published table of figures computed whole (no paging, no filters): monthly
    moderation figures, service experience by month. Subclasses give ``rows()`` (plain dicts
    the serializer reads) and ``last_change()`` (the newest moment the figures depend on, for
    ``Last-Modified``/``304``); the same rows go into the bulk download."""

    pagination_class = None

    def list(self, request):
        if request.query_params:
            raise ValidationError(
                {
                    name: [_("Unknown parameter. This list takes none.")]
                    for name in request.query_params
                }
            )
        return Response(self.get_serializer(self.rows(), many=True).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional(request, response, self.last_change())

    @staticmethod
    def rows() -> list[dict[str, Any]]:
        raise NotImplementedError

    @staticmethod
    def last_change() -> datetime | None:
        raise NotImplementedError

    @classmethod
    def dataset_rows(cls):
        for row in cls.rows():
            yield cls.serializer_class(row).data

    @classmethod
    def dataset_fields(cls):
        return describe_fields(cls.serializer_class())
