"""Project-wide middleware."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
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
        if "locked" in str(exception):  # SQLite's busy database is not an outage
            return None
        logger.warning("database unavailable", extra={"error": type(exception).__name__})
        body = render_to_string("503.html", {"retry_after": DATABASE_RETRY_AFTER})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
