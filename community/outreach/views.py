"""Public outreach endpoints: one-click unsubscribe, the open pixel, the tracked click, the
calendar feed. None needs a sign-in; none shows anything about anyone."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from community import notifications as categories
from community.outreach import registry, services
from community.outreach.calendar import ics_response
from community.outreach.links import read_click, read_unsubscribe

# A transparent 1x1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@csrf_exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the proof.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button (link scanners must not unsubscribe anyone); POST — from
    that button or a mail client's one-click — unsubscribes."""
    parsed = read_unsubscribe(token)
    label = categories.category(parsed.category).label if parsed else ""
    context: dict = {"category_label": label}
    status = 200
    if parsed is None:
        context["error"] = _("This unsubscribe link is not valid. Nothing was changed.")
        status = 400
    elif request.method == "POST":
        try:
            services.unsubscribe(token=token)
            context["done"] = True
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            status = 400
    return render(request, "outreach/unsubscribe.html", context, status=status)


@never_cache
@require_GET
def opened(request: HttpRequest, token: str) -> HttpResponse:
    services.delivery_opened(token=token)
    return HttpResponse(PIXEL, content_type="image/gif")


def _allowed_target(url: str) -> bool:
    site = urlsplit(settings.SITE_URL)
    target = urlsplit(url)
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={site.netloc, *settings.ALLOWED_HOSTS}
    ) or (target.scheme in {"http", "https"} and target.netloc == site.netloc)


@never_cache
@require_GET
def click(request: HttpRequest, signed: str) -> HttpResponse:
    """Count the click and go where the campaign points; an altered link goes home."""
    parsed = read_click(signed)
    if parsed is None or not _allowed_target(parsed[1]):
        return HttpResponseRedirect("/")
    token, target = parsed
    services.delivery_clicked(token=token)
    return HttpResponseRedirect(target)


@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Public co-design sessions, challenge deadlines and voting windows, as iCalendar."""
    name = _("%(site)s: sessions and deadlines") % {"site": settings.WAGTAIL_SITE_NAME}
    response = ics_response(registry.calendar_events(), name=name, filename="calendar.ics")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
