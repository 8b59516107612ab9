"""Insight pages for agency staff. Thin: permission, a selector, a template.

Refusals are a clear 403 page (signed-in people who are not staff of the agency) or the
sign-in page (anonymous). Everything works without JavaScript; ``insight/live.js`` only keeps
the counters live.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community.formats import month_day_text
from community.models import Organisation
from ideas.insight import charts, exports, permissions, selectors
from ideas.insight.conf import setting
from ideas.models import Challenge
from ideas.opinion import board as opinion_board
from ideas.opinion import selectors as opinion_selectors


def _refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "insight/forbidden.html", status=403)


def _agency(request: HttpRequest, slug: str) -> Organisation | HttpResponse:
    agency = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.AGENCY).first()
    if agency is None or not permissions.can_view_insight(request.user, agency):
        return _refuse(request)  # the same answer whether or not the agency exists
    return agency


def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agencies = [
        a
        for a in Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
        if permissions.can_view_insight(request.user, a)
    ]
    if not agencies:
        return _refuse(request)
    if len(agencies) == 1:
        return redirect("insight:dashboard", slug=agencies[0].slug)
    return render(request, "insight/index.html", {"agencies": agencies})


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if isinstance(agency, HttpResponse):
        return agency
    data = selectors.dashboard(agency)
    timeline = data["timeline"]
    return render(
        request,
        "insight/dashboard.html",
        {
            "agency": agency,
            **data,
            "min_cell": setting("MIN_CELL"),
            "timeline_days": setting("TIMELINE_DAYS"),
            "segment_days": setting("SEGMENT_DAYS"),
            "emerging_days": setting("EMERGING_DAYS"),
            "timeline_any": any(day["total"] for day in timeline),
            "timeline_chart": charts.columns(
                [(month_day_text(day["day"]), day["total"]) for day in timeline]
            ),
            "challenge_chart": charts.bars(
                [(c["challenge"], c["ideas"]) for c in data["challenges"]]
            ),
            "funnel_chart": charts.bars([(str(s["stage"]), s["ideas"]) for s in data["funnel"]]),
            "tag_chart": charts.bars([(t["tag"], t["ideas"]) for t in data["tags"]["top"]]),
            "socket_path": f"/ws/insight/{agency.pk}/",
            "tables": list(exports.TABLES),
        },
    )


def export(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    agency = _agency(request, slug)
    if isinstance(agency, HttpResponse):
        return agency
    if table not in exports.TABLES:
        raise Http404(_("There is no such table."))
    response = exports.csv_download(f"insight-{agency.slug}-{table}.csv")
    exports.write_table(response, table, agency)
    return response


def opinion_map(request: HttpRequest, pk: int) -> HttpResponse:
    """A board's opinion map: the stored map (computed in the background when support or
    impressions change), live through ``opinion/map.js``."""
    challenge = get_object_or_404(Challenge.objects.select_related("agency"), pk=pk)
    if not permissions.can_view_insight(request.user, challenge.agency):
        return _refuse(request)
    return render(
        request,
        "insight/opinion_map.html",
        {
            "challenge": challenge,
            "agency": challenge.agency,
            "map": opinion_selectors.map_display(opinion_board.KIND, challenge.pk),
        },
    )
