"""Reads for the service dashboard, its CSV tables, the live stream, the API and open data.

Every figure is over answers (one per person per service per day), in the dashboard's window
(the last ``WEEKS`` weeks, Monday to Sunday, local time). Counts of answers pass through
``ideas.insight.suppression``: a cell of 1-4 answers shows "fewer than 5", and an average or
share is shown only for a cell whose count is shown (an average of two people would tell
their answers). Each read is a fixed number of queries whatever the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.formats import number_format

from community.models import Organisation
from ideas.experience import catalogue
from ideas.experience.conf import setting
from ideas.experience.models import BrandValueAnswer, Channel, Feedback, Theme
from ideas.insight.conf import setting as insight_setting
from ideas.insight.suppression import Cell, suppress


def window_start(now: datetime | None = None) -> datetime:
    """Monday 00:00 (local) ``WEEKS - 1`` weeks before this week's Monday."""
    local = timezone.localtime(now or timezone.now())
    monday = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
        days=local.weekday()
    )
    return monday - timedelta(weeks=setting("WEEKS") - 1)


@dataclass
class Figures:
    """Answers in one cell: how many, mean satisfaction, share who got what they needed."""

    n: int = 0
    satisfaction_sum: int = 0
    got_yes: int = 0
    got_answered: int = 0
    cell: Cell | None = None

    def add(self, n: int, satisfaction_sum: int, got_yes: int, got_answered: int) -> None:
        self.n += n
        self.satisfaction_sum += satisfaction_sum
        self.got_yes += got_yes
        self.got_answered += got_answered

    @property
    def shown(self) -> bool:
        return self.cell is not None and self.cell.shown and self.n > 0

    @property
    def satisfaction(self) -> float | None:
        """Mean satisfaction (1-5), or None when the cell is suppressed or empty."""
        return round(self.satisfaction_sum / self.n, 2) if self.shown else None

    @property
    def got_share(self) -> float | None:
        """Percent who said they got what they needed, among those asked (the SMS digit
        does not ask), or None when suppressed or nobody was asked."""
        if not self.shown or self.got_answered < insight_setting("MIN_CELL"):
            return None
        return round(100 * self.got_yes / self.got_answered, 1)

    @property
    def responses(self) -> str:
        return self.cell.display if self.cell is not None else str(self.n)

    @property
    def satisfaction_text(self) -> str | None:
        value = self.satisfaction
        return None if value is None else number_format(value, 1)

    @property
    def got_text(self) -> str | None:
        value = self.got_share
        return None if value is None else f"{number_format(value, 0)} %"

    def live(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "satisfaction": self.satisfaction_text,
            "got_share": self.got_text,
        }


def _aggregates() -> dict[str, Any]:
    return {
        "n": Count("id"),
        "sat": Sum("satisfaction"),
        "got_yes": Count("id", filter=Q(got_what_needed=True)),
        "got_n": Count("id", filter=Q(got_what_needed__isnull=False)),
    }


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """A values() queryset's rows as plain dicts (one query)."""
    return [dict(row) for row in queryset]


def _suppress_all(cells: list[Figures]) -> None:
    for figures, cell in zip(cells, suppress([f.n for f in cells]), strict=True):
        figures.cell = cell


def per_service(
    agency: Organisation | int, now: datetime | None = None
) -> tuple[Figures, list[dict[str, Any]]]:
    """(all answers, one row per service of the agency): figures per service, per channel
    and per brand value. 2 queries and the catalogue's (cms) own."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    since = window_start(now)
    services = catalogue.agency_services(agency_id)
    base = Feedback.objects.filter(agency_id=agency_id, created_at__gte=since)
    by_channel: dict[tuple[int, str], Figures] = {}
    for row in _rows(
        base.values("service_page_id", "channel").annotate(**_aggregates()).order_by()
    ):
        figures = by_channel.setdefault((row["service_page_id"], row["channel"]), Figures())
        figures.add(row["n"], row["sat"] or 0, row["got_yes"], row["got_n"])
    values: dict[tuple[int, int], list[int]] = {}
    for row in _rows(
        BrandValueAnswer.objects.filter(
            feedback__agency_id=agency_id, feedback__created_at__gte=since
        )
        .values("feedback__service_page_id", "brand_value_id")
        .annotate(n=Count("id"), kept=Count("id", filter=Q(kept=True)))
        .order_by()
    ):
        values[(row["feedback__service_page_id"], row["brand_value_id"])] = [row["n"], row["kept"]]
    rows: list[dict[str, Any]] = []
    total = Figures()
    for service in services:
        overall = Figures()
        channels: list[dict[str, Any]] = []
        for channel, label in Channel.choices:
            figures = by_channel.get((service.id, channel), Figures())
            overall.add(figures.n, figures.satisfaction_sum, figures.got_yes, figures.got_answered)
            channels.append({"channel": channel, "label": str(label), "figures": figures})
        _suppress_all([c["figures"] for c in channels])
        total.add(overall.n, overall.satisfaction_sum, overall.got_yes, overall.got_answered)
        brand: list[dict[str, Any]] = []
        for value in service.brand_values:
            n, kept = values.get((service.id, value.id), [0, 0])
            cell = suppress([n])[0]
            share = round(100 * kept / n, 1) if cell.shown and n else None
            brand.append(
                {
                    "id": value.id,
                    "statement": value.statement,
                    "answers": cell,
                    "kept_share": share,
                    "kept_text": None if share is None else f"{number_format(share, 0)} %",
                    "failing": share is not None and share < 50,
                }
            )
        rows.append(
            {"service": service, "figures": overall, "channels": channels, "brand_values": brand}
        )
    _suppress_all([r["figures"] for r in rows])
    total.cell = suppress([total.n])[0]
    return total, rows


def live_rows(agency_id: int) -> list[dict[str, Any]]:
    """What the live stream sends: each service's suppressed headline figures."""
    _total, rows = per_service(agency_id)
    return [{"id": r["service"].id, **r["figures"].live()} for r in rows]


def trend(agency: Organisation | int, now: datetime | None = None) -> dict[int, list[dict]]:
    """Per service, one row per week of the window (oldest first): answers, mean
    satisfaction, and the change from the week before when it is significant (Welch's z of
    the two weeks' means at least ``SIGNIFICANCE_Z``, both weeks' cells shown). 1 query."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    since = window_start(now)
    weeks = [(since + timedelta(weeks=i)).date() for i in range(setting("WEEKS"))]
    found: dict[tuple[int, date], tuple[int, int, int]] = {}
    for row in _rows(
        Feedback.objects.filter(agency_id=agency_id, created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values("service_page_id", "week")
        .annotate(
            n=Count("id"), s=Sum("satisfaction"), ss=Sum(F("satisfaction") * F("satisfaction"))
        )
        .order_by()
    ):
        week = row["week"]
        week = week.date() if isinstance(week, datetime) else week
        found[(row["service_page_id"], week)] = (row["n"], row["s"] or 0, row["ss"] or 0)
    minimum = insight_setting("MIN_CELL")
    z_needed = setting("SIGNIFICANCE_Z")
    out: dict[int, list[dict]] = {}
    for service_id in sorted({key[0] for key in found}):
        series: list[dict[str, Any]] = []
        previous: dict[str, Any] | None = None
        for week in weeks:
            n, s, ss = found.get((service_id, week), (0, 0, 0))
            cell = suppress([n])[0]
            mean = s / n if n else None
            variance = (ss - n * mean * mean) / (n - 1) if n > 1 and mean is not None else None
            change = None
            if (
                previous is not None
                and mean is not None
                and n >= minimum
                and previous["n"] >= minimum
            ):
                diff = mean - previous["mean"]
                se = math.sqrt((variance or 0) / n + (previous["variance"] or 0) / previous["n"])
                z = diff / se if se else (math.inf if diff else 0.0)
                if abs(z) >= z_needed:
                    change = "up" if diff > 0 else "down"
            entry = {
                "week": week,
                "n": n,
                "answers": cell,
                "mean": mean,
                "variance": variance,
                "satisfaction": round(mean, 2) if cell.shown and mean is not None else None,
                "satisfaction_text": (
                    number_format(mean, 1) if cell.shown and mean is not None else None
                ),
                "change": change,
            }
            series.append(entry)
            previous = entry if n else None
        out[service_id] = series
    return out


def themes(agency: Organisation | int) -> list[dict[str, Any]]:
    """The agency's themes, biggest first: label, service, visible comments in it, and the
    challenge it became. 1 query."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    rows = (
        Theme.objects.filter(agency_id=agency_id)
        .annotate(n=Count("feedback", filter=Q(feedback__is_hidden=False)))
        .filter(n__gt=0)
        .select_related("challenge")
        .order_by("-n", "pk")
    )
    return [{"theme": t, "comments": t.n} for t in rows]


def theme_comments(theme: Theme) -> list[Feedback]:
    return list(
        Feedback.objects.filter(theme=theme, is_hidden=False).order_by("-created_at", "-pk")[:200]
    )


def service_comments(agency_id: int, service_page_id: int) -> list[Feedback]:
    """The latest visible comments on one of the agency's services, with their theme."""
    return list(
        Feedback.objects.filter(
            agency_id=agency_id, service_page_id=service_page_id, is_hidden=False
        )
        .exclude(comment="")
        .select_related("theme")
        .order_by("-created_at", "-pk")[:200]
    )


def monthly(months: int = 24, now: datetime | None = None) -> list[dict[str, Any]]:
    """Open data: answers per service, channel and month (every agency), suppressed. Months
    are whole calendar months already over; the current month is left out until it ends so
    a published figure never changes. 1 query and the catalogue's per agency."""
    local = timezone.localtime(now or timezone.now())
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (this_month - timedelta(days=31 * months)).replace(day=1)
    rows = _rows(
        Feedback.objects.filter(created_at__gte=start, created_at__lt=this_month)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "service_page_id", "agency_id", "channel")
        .annotate(**_aggregates())
        .order_by("month", "service_page_id", "channel")
    )
    titles: dict[int, str] = {}
    for agency_id in sorted({r["agency_id"] for r in rows if r["agency_id"] is not None}):
        for service in catalogue.agency_services(agency_id):
            titles.setdefault(service.id, service.title)
    out = []
    for row in rows:
        agency_id = row["agency_id"]
        figures = Figures()
        figures.add(row["n"], row["sat"] or 0, row["got_yes"], row["got_n"])
        figures.cell = suppress([row["n"]])[0]
        month = row["month"]
        month = month.date() if isinstance(month, datetime) else month
        out.append(
            {
                "month": month.strftime("%Y-%m"),
                "service_id": row["service_page_id"],
                "service": titles.get(row["service_page_id"], ""),
                "agency_id": agency_id,
                "channel": row["channel"],
                "responses": figures.n if figures.shown else None,
                "responses_text": figures.responses,
                "satisfaction": figures.satisfaction,
                "got_what_needed_percent": figures.got_share,
            }
        )
    return out
