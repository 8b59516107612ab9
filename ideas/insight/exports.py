"""The dashboard's aggregates as CSV tables. Suppressed cells stay suppressed ("fewer than 5");
cells are written through community.spreadsheets (no formula runs when opened)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from community import spreadsheets
from community.models import Organisation
from ideas.insight import selectors


def _timeline(agency):
    rows = selectors.timeline(agency)
    return ["day", "ideas", "supports", "comments", "other", "total"], [
        [r["day"].isoformat(), r["ideas"], r["supports"], r["comments"], r["other"], r["total"]]
        for r in rows
    ]


def _challenges(agency):
    return ["challenge", "ideas", "supports"], [
        [c["challenge"], c["ideas"], c["supports"]] for c in selectors.per_challenge(agency)
    ]


def _services(agency):
    rows = selectors.per_service(agency, selectors.per_challenge(agency))
    return ["service", "ideas", "supports", "opened_from_challenges"], [
        [s["service"], s["ideas"], s["supports"], s["visits"]] for s in rows
    ]


def _tags(agency):
    data = selectors.tags(agency)
    return ["tag", "ideas"], [[t["tag"], t["ideas"]] for t in data["top"]]


def _emerging(agency):
    data = selectors.tags(agency)
    return ["tag", "ideas_recent", "ideas_before", "growth"], [
        [t["tag"], t["recent"], t["previous"], t["growth"]] for t in data["emerging"]
    ]


def _funnel(agency):
    return ["stage", "ideas", "median_days_from_previous_stage"], [
        [s["stage"], s["ideas"], "" if s["median_days"] is None else s["median_days"]]
        for s in selectors.funnel(agency)
    ]


def _segments(agency):
    data = selectors.segments(agency)
    rows = [
        [str(b.title), row["label"], row["cell"].display]
        for b in data["breakdowns"]
        for row in b.rows
    ]
    return ["attribute", "group", "people"], rows


def _missing(agency):
    data = selectors.segments(agency)
    return ["attribute", "group", "people_here", "share_here_percent", "share_all_percent"], [
        [
            m["attribute"],
            m["group"],
            m["here"].display,
            "" if m["share_here"] is None else m["share_here"],
            m["share_base"],
        ]
        for m in data["missing"]
    ]


TABLES: dict[str, Callable[[Organisation], tuple[list[str], list[list[Any]]]]] = {
    "timeline": _timeline,
    "challenges": _challenges,
    "services": _services,
    "tags": _tags,
    "emerging-tags": _emerging,
    "funnel": _funnel,
    "segments": _segments,
    "missing": _missing,
}


def write_table(out, name: str, agency: Organisation) -> None:
    header, rows = TABLES[name](agency)
    writer = spreadsheets.writer(out)
    writer.writerow(header)
    writer.writerows(rows)


def csv_download(filename: str) -> HttpResponse:
    """An empty CSV attachment response, never cached (figures for staff only): the insight
    and service-experience dashboards write their tables into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
