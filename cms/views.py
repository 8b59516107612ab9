"""The few CMS views outside Wagtail's page tree."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail import views as wagtail_views

from cms import selectors


def services(request: HttpRequest) -> HttpResponse:
    """``/services/``: the live service index, wherever editors have put it.

    Served in place when the index lives at /services/ (so the navigation link is the page
    itself), redirected to otherwise, and a plain 404 page when there is none yet.
    """
    index = selectors.service_index_for(request)
    if index is None:
        return render(request, "cms/no_service_index.html", status=404)
    url = index.get_url(request=request)
    if url == request.path:
        return wagtail_views.serve(request, request.path.lstrip("/"))
    return redirect(url)
