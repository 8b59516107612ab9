"""Project-wide middleware."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.template.loader import render_to_string

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
