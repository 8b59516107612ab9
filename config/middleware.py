"""Project-wide middleware."""

import logging

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from realtime import inputguard

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(DjangoCSPMiddleware):
    """Django's CSP, with the admins' own policy: they rely on inline styles and scripts."""

    def process_response(self, request, response):
        if request.path.startswith(ADMIN_PREFIXES) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return super().process_response(request, response)


logger = logging.getLogger(__name__)
DATABASE_RETRY_AFTER = 10


class DatabaseUnavailableMiddleware:
    """A lost database connection becomes a 503 page with Retry-After, not a 500.

    The page is rendered without the database (no navigation, no account menu). Django
    discards the broken connection at the end of the request, and the connection pool checks
    every connection before handing it out (``config.env.database_config``), so the next
    request reconnects once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if "locked" in str(exception) or "busy" in str(exception):
            return busy_response(request)
        logger.warning("database unavailable", extra={"error": type(exception).__name__})
        body = render_to_string("503.html", {"retry_after": DATABASE_RETRY_AFTER})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response


BUSY_RETRY_AFTER = 5


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or ("application/json" in accept and "text/html" not in accept)
    )


def busy_response(request) -> HttpResponse:
    """SQLite (the embedded default) could not get its write lock in time: nothing was saved.

    Not an outage and not the person's fault, so a 503 with Retry-After that says so: JSON
    for the API and scripts, otherwise a page that leads back to where they were (their text
    is still in the form when they go back).
    """
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import gettext

    logger.warning("database busy", extra={"path": request.path, "method": request.method})
    if _wants_json(request):
        response = JsonResponse(
            {
                "error": "busy",
                "detail": gettext("The site is busy — please try again in a few seconds."),
                "retry_after": BUSY_RETRY_AFTER,
            },
            status=503,
        )
    else:
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        body = render_to_string(
            "busy.html", {"retry_after": BUSY_RETRY_AFTER, "back": back}, request=request
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


class InputGuardMiddleware:
    """Query strings and form posts pass ``realtime.inputguard`` before any view runs.

    A refused character answers 400 naming the field (JSON under ``/api/``, a page
    elsewhere); nothing is saved. So do more parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
    in the query string or the form: Django raises ``TooManyFieldsSent`` on *every* read of
    ``request.GET``, and its debug error page reads it again while reporting the first, so
    the client waited for ever; here the query is read once and replaced by an empty one.
    The form is read in ``process_view`` (as ``CsrfViewMiddleware`` does for every unsafe
    method), except for views marked :func:`realtime.inputguard.input_guard_exempt`, which
    check characters themselves and may need the raw body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 - parsed here, once, so too many parameters is one 400
        except TooManyFieldsSent:
            request.GET = QueryDict()
            return _too_many_response(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "input_guard_exempt", False):
            return None  # it may need the raw body, which reading the form would consume
        sources = [request.GET]
        if _is_form(request):
            try:
                sources.append(request.POST)
            except TooManyFieldsSent:
                request._post, request._files = QueryDict(), MultiValueDict()
                return _too_many_response(request)
        for source in sources:
            for key, values in source.lists():
                for text in (key, *values):
                    try:
                        inputguard.check_text(key, text)
                    except inputguard.InputRefused as refused:
                        return _refused_response(request, refused)
        return None


def _too_many_response(request):
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    message = _("The request has more than %(max)d parameters.") % {"max": limit}
    return _refused_response(request, inputguard.InputRefused("", message))


def _is_form(request) -> bool:
    return request.method == "POST" and request.content_type in FORM_CONTENT_TYPES


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refused_response(request, refused):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": "invalid",
                "detail": _("The request has mistakes. Fix the fields listed and try again."),
                "fields": {refused.field or "non_field_errors": [refused.message]},
            },
            status=400,
        )
    body = render_to_string(
        "400_input.html", {"field": refused.field, "message": refused.message}, request=request
    )
    return HttpResponse(body, status=400)
