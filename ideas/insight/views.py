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
from ideas.insight.opinion import opinion_map as build_opinion_map
from ideas.models import Challenge


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insight-{agency.slug}-{table}.csv"'
    response["Cache-Control"] = "no-store"
    exports.write_table(response, table, agency)
    return response


def opinion_map(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = get_object_or_404(Challenge.objects.select_related("agency"), pk=pk)
    if not permissions.can_view_insight(request.user, challenge.agency):
        return _refuse(request)
    result, titles = build_opinion_map(challenge)
    groups = [
        {
            **g,
            "size_cell": g["size"] >= setting("MIN_CELL"),
            "defining_titles": [titles[i] for i in g["defining"]],
        }
        for g in result.groups
    ]
    idea_rows = [
        {"title": titles[idea_id], "shares": [round(100 * g["shares"][idea_id]) for g in groups]}
        for idea_id in titles
    ]
    return render(
        request,
        "insight/opinion_map.html",
        {
            "challenge": challenge,
            "agency": challenge.agency,
            "map": result,
            "groups": groups,
            "idea_rows": idea_rows,
            "consensus": [
                {"title": titles[c["idea"]], "lowest": round(100 * c["lowest"])}
                for c in result.consensus
            ],
            "divisive": [
                {"title": titles[d["idea"]], "gap": round(100 * d["gap"])} for d in result.divisive
            ],
            "scatter": charts.scatter(groups),
            "min_participants": setting("MAP_MIN_PARTICIPANTS"),
            "min_ideas": setting("MAP_MIN_IDEAS"),
            "min_cell": setting("MIN_CELL"),
            "consensus_pct": round(100 * setting("CONSENSUS")),
            "divisive_pct": round(100 * setting("DIVISIVE_GAP")),
        },
    )
