"""Cursor pagination with a page-size cap; a bad cursor or page size is a 400, not a 404."""

from __future__ import annotations

from base64 import b64encode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class ApiCursorPagination(CursorPagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    ordering = "-created_at"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Use a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's decoding, strict: DRF reads what it understands of a cursor and ignores the
        rest, so a mistyped or made-up cursor silently served the first page. A cursor is
        accepted only if it is exactly what :meth:`encode_cursor` writes and its position is
        a value of the ordering field; anything else is a 400 (docs/api.md)."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            cursor = super().decode_cursor(request)
            tokens = {}
            if cursor.offset != 0:
                tokens["o"] = str(cursor.offset)
            if cursor.reverse:
                tokens["r"] = "1"
            if cursor.position is not None:
                tokens["p"] = cursor.position
            canonical = b64encode(parse.urlencode(tokens, doseq=True).encode("ascii"))
            if not tokens or canonical.decode("ascii") != encoded:
                raise ValueError("not a cursor this API wrote")
            if cursor.position is not None:
                name = self.ordering[0].lstrip("-")
                self._model._meta.get_field(name).to_python(cursor.position)
        except (NotFound, ValueError, UnicodeError, DjangoValidationError, AttributeError):
            raise ValidationError(
                {
                    self.cursor_query_param: [
                        _("This cursor is not valid. Use the “next” or “previous” link as given.")
                    ]
                }
            ) from None
        return cursor

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                param["description"] = _("Items per page (1 to %(max)d; default %(default)d).") % {
                    "max": self.max_page_size,
                    "default": self.page_size,
                }
        return params
