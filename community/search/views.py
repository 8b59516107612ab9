"""The search page: one query over pages and everything people and agencies post."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community.search.forms import SearchForm
from community.search.selectors import PAGE_SIZE, site_search


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < len(raw) < 4 else 1


def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.value("q") if form.is_bound else ""
    found = None
    if query:
        kind = form.value("kind")
        found = site_search(
            query,
            kinds=[kind] if kind else None,
            agency_slug=form.value("agency"),
            status=form.value("status"),
            page=_page_number(request.GET.get("page", "")),
        )
    page = _page_number(request.GET.get("page", ""))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "results": found,
        "page": page,
        "has_next": bool(found and found.total > page * PAGE_SIZE),
        "has_previous": page > 1,
        "params": params.urlencode(),
    }
    return render(request, "search/results.html", context)
