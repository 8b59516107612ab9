"""Every API error is JSON: ``{"error": code, "detail": message, "fields": {...}}``.

Django's ``ValidationError``/``PermissionDenied``/``Http404`` raised by services and
selectors become 400/403/404 here, so a service's message reaches the client unchanged.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def api_exception_handler(exc, context):
    if isinstance(exc, DataError):
        # A value the database cannot hold (a hand-made cursor, say): the client's mistake.
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("A value in the request is out of range. Check it.")]}
        )
    elif isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound(_("There is nothing here. Check the id in the address."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    body: dict = {"error": getattr(exc, "default_code", "error")}
    if isinstance(exc, exceptions.ValidationError):
        body["error"] = "invalid"
        body["detail"] = _("The request has mistakes. Fix the fields listed and try again.")
        body["fields"] = data if isinstance(data, dict) else {"non_field_errors": data}
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
        body["error"] = getattr(data["detail"], "code", body["error"])
    else:
        body["detail"] = data
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait) + (0 if float(exc.wait).is_integer() else 1)
    response.data = body
    return response


def not_found(request, rest: str = ""):
    """Unknown addresses under /api/v1/: a JSON 404 rather than the site's HTML page."""
    return JsonResponse(
        {"error": "not_found", "detail": _("There is no such API address. See /api/v1/docs/.")},
        status=status.HTTP_404_NOT_FOUND,
    )
