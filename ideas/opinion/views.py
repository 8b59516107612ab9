"""The opinion map partial, for the live map script to redraw from (and for any page that
wants the map alone). Thin: the source's permission, the stored map, a template."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ideas.opinion import selectors, sources


@require_GET
def map_partial(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    try:
        source = sources.source(kind)
    except sources.UnknownSource:
        raise Http404 from None
    if not source.may_view(request.user, subject_id):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    response = render(
        request, "opinion/_map_body.html", {"map": selectors.map_display(kind, subject_id)}
    )
    response["Cache-Control"] = "no-store"
    return response
