"""The service dashboard as CSV tables: suppressed cells stay suppressed ("fewer than 5"),
cells go through community.spreadsheets (no formula runs when opened)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from community import spreadsheets
from community.models import Organisation
from ideas.experience import selectors


def _blank(value: object) -> object:
    return "" if value is None else value


def _services(agency: Organisation):  # type: ignore[no-untyped-def]
    _total, rows = selectors.per_service(agency)
    return ["service_id", "service", "answers", "mean_satisfaction", "got_what_needed_percent"], [
        [
            r["service"].id,
            r["service"].title,
            r["figures"].responses,
            _blank(r["figures"].satisfaction),
            _blank(r["figures"].got_share),
        ]
        for r in rows
    ]


def _channels(agency: Organisation):  # type: ignore[no-untyped-def]
    _total, rows = selectors.per_service(agency)
    header = [
        "service_id",
        "service",
        "channel",
        "answers",
        "mean_satisfaction",
        "got_what_needed_percent",
    ]
    return header, [
        [
            r["service"].id,
            r["service"].title,
            c["channel"],
            c["figures"].responses,
            _blank(c["figures"].satisfaction),
            _blank(c["figures"].got_share),
        ]
        for r in rows
        for c in r["channels"]
    ]


def _brand_values(agency: Organisation):  # type: ignore[no-untyped-def]
    _total, rows = selectors.per_service(agency)
    return ["service_id", "service", "brand_value", "answers", "kept_percent"], [
        [
            r["service"].id,
            r["service"].title,
            v["statement"],
            v["answers"].display,
            _blank(v["kept_share"]),
        ]
        for r in rows
        for v in r["brand_values"]
    ]


def _weeks(agency: Organisation):  # type: ignore[no-untyped-def]
    _total, rows = selectors.per_service(agency)
    titles = {r["service"].id: r["service"].title for r in rows}
    trend = selectors.trend(agency)
    return ["service_id", "service", "week", "answers", "mean_satisfaction", "change"], [
        [
            service_id,
            titles.get(service_id, ""),
            week["week"].isoformat(),
            week["answers"].display,
            _blank(week["satisfaction"]),
            week["change"] or "",
        ]
        for service_id, weeks in trend.items()
        for week in weeks
    ]


TABLES: dict[str, Callable[[Organisation], tuple[list[str], list[list[Any]]]]] = {
    "services": _services,
    "channels": _channels,
    "brand-values": _brand_values,
    "weeks": _weeks,
}


def write_table(out, name: str, agency: Organisation) -> None:  # type: ignore[no-untyped-def]
    header, rows = TABLES[name](agency)
    writer = spreadsheets.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
