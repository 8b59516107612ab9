"""The dashboard's aggregates. Each is a fixed number of queries, whatever the data.

Where the figures come from:

* **Participation events** (``community.participation``): live counters, participation over
  time, co-design and exchange activity, segments and "who is missing" — what people *did*,
  with the channel and, with consent, their segment.
* **The ideas and backlog tables**: ideas and supports per challenge and per service, tags and
  the funnel — the current state of things (a merged idea counts once, a withdrawn support
  not at all), including what happened before events were recorded.

No aggregate carries an account id or a persona; counts of people are distinct participant
keys, and segment counts pass through :mod:`ideas.insight.suppression`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from taggit.models import TaggedItem

from community.models import Organisation
from community.moderation.selectors import hidden_q
from community.participation.kinds import kinds as registered_kinds
from community.participation.kinds import label_of
from community.participation.models import AgeBand, ParticipationEvent, area_choices
from ideas.backlog.models import BacklogIdeaLink
from ideas.insight import kinds as K
from ideas.insight.conf import setting
from ideas.insight.suppression import Cell, suppress
from ideas.models import Challenge, Idea, Status, StatusChange


def _kinds_in(*groups: str) -> list[str]:
    return [k.key for k in registered_kinds() if k.group in groups]


def participation_kinds() -> list[str]:
    return _kinds_in(*K.PARTICIPATION_GROUPS)


def day_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of the current week, local time (``TIME_ZONE``)."""
    today = day_start(now)
    return today - timedelta(days=today.weekday())


# -- live counters ----------------------------------------------------------------------------


def counters(agency: Organisation | int, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """Actions, ideas, supports, comments and people since midnight and since Monday (1 query)."""
    now = now or timezone.now()
    agency_id = agency if isinstance(agency, int) else agency.pk
    windows = {"today": day_start(now), "week": week_start(now)}
    since = min(windows.values())
    aggregates: dict[str, Count] = {}
    for name, start in windows.items():
        when = Q(occurred_at__gte=start)
        aggregates |= {
            f"{name}_actions": Count("id", filter=when),
            f"{name}_ideas": Count("id", filter=when & Q(kind=K.IDEA_POSTED)),
            f"{name}_supports": Count("id", filter=when & Q(kind=K.IDEA_SUPPORTED)),
            f"{name}_comments": Count("id", filter=when & Q(kind=K.COMMENT_POSTED)),
            f"{name}_people": Count("participant", distinct=True, filter=when & ~Q(participant="")),
        }
    row = ParticipationEvent.objects.filter(
        agency_id=agency_id, occurred_at__gte=since, kind__in=participation_kinds()
    ).aggregate(**aggregates)
    return {
        name: {
            key: row[f"{name}_{key}"] or 0
            for key in ("actions", "ideas", "supports", "comments", "people")
        }
        for name in windows
    }


# -- participation over time --------------------------------------------------------------------


def timeline(agency: Organisation, now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per day of the last ``TIMELINE_DAYS`` days (oldest first): ideas, supports,
    comments and other actions (co-design, service pages). 1 query."""
    now = now or timezone.now()
    days = setting("TIMELINE_DAYS")
    first = day_start(now) - timedelta(days=days - 1)
    rows = (
        ParticipationEvent.objects.filter(
            agency=agency, occurred_at__gte=first, kind__in=participation_kinds()
        )
        .annotate(day=TruncDate("occurred_at"))
        .values("day", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_day: dict[Any, dict[str, int]] = {}
    for row in rows:
        bucket = by_day.setdefault(
            row["day"], {"ideas": 0, "supports": 0, "comments": 0, "other": 0}
        )
        key = {K.IDEA_POSTED: "ideas", K.IDEA_SUPPORTED: "supports", K.COMMENT_POSTED: "comments"}
        bucket[key.get(row["kind"], "other")] += row["n"]
    out = []
    for i in range(days):
        day = (first + timedelta(days=i)).date()
        counts = by_day.get(day, {"ideas": 0, "supports": 0, "comments": 0, "other": 0})
        out.append({"day": day, **counts, "total": sum(counts.values())})
    return out


# -- challenges and services ---------------------------------------------------------------------


def per_challenge(agency: Organisation) -> list[dict[str, Any]]:
    """Ideas and supports per challenge, newest first. 1 query.

    Counted by the board's own rule (:func:`ideas.selectors.visible_totals`): merged
    duplicates, held and hidden ideas are not counted, so the chart and the board's
    "Ideas (n)" agree (a hidden idea made them differ).
    """
    shown = (
        Idea.objects.visible()
        .exclude(hidden_q(Idea))
        .filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
    )
    rows = (
        Challenge.objects.filter(agency=agency)
        .annotate(
            idea_count=Coalesce(Subquery(shown.annotate(n=Count("pk")).values("n")), 0),
            support_total=Subquery(shown.annotate(n=Sum("support_count")).values("n")),
        )
        .order_by("-opens_at", "-id")
        .values("pk", "question", "idea_count", "support_total")
    )
    return [
        {
            "id": r["pk"],
            "challenge": r["question"],
            "ideas": r["idea_count"],
            "supports": r["support_total"] or 0,
        }
        for r in rows
    ]


def per_service(agency: Organisation, challenges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ideas and supports on the agency's challenges about each service page, and how often
    the page was opened from one of those challenges. 2 queries."""
    through = Challenge.service_pages.through
    links = through.objects.filter(challenge__agency=agency).values_list(
        "challenge_id", "page_id", "page__title"
    )
    by_challenge = {c["id"]: c for c in challenges}
    services: dict[int, dict[str, Any]] = {}
    for challenge_id, page_id, title in links:
        entry = services.setdefault(
            page_id, {"id": page_id, "service": title, "ideas": 0, "supports": 0, "visits": 0}
        )
        c = by_challenge.get(challenge_id)
        if c:
            entry["ideas"] += c["ideas"]
            entry["supports"] += c["supports"]
    visits = (
        ParticipationEvent.objects.filter(agency=agency, kind=K.SERVICE_PAGE_VIEWED)
        .values("service_page_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in visits:
        if row["service_page_id"] in services:
            services[row["service_page_id"]]["visits"] = row["n"]
    return sorted(services.values(), key=lambda s: (-s["ideas"], -s["supports"], s["service"]))


# -- tags ---------------------------------------------------------------------------------------


def tags(agency: Organisation, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Top tags of the agency's ideas, and emerging ones. 2 queries.

    *Emerging* compares ideas posted in the last ``EMERGING_DAYS`` days (``recent``) with the
    same span before (``previous``): growth = (recent + 1) / (previous + 1) — the +1 keeps a
    tag going from 0 to 1 from looking infinitely fast. A tag needs at least ``EMERGING_MIN``
    recent ideas and more than before; the fastest growing come first (ties: more recent
    ideas, then name).
    """
    now = now or timezone.now()
    span = timedelta(days=setting("EMERGING_DAYS"))
    ideas = Idea.objects.visible().filter(challenge__agency=agency)
    created = dict(ideas.values_list("pk", "created_at"))
    pairs = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id__in=ideas.values("pk")
    ).values_list("object_id", "tag__name")
    total: dict[str, int] = {}
    recent: dict[str, int] = {}
    previous: dict[str, int] = {}
    for idea_id, name in pairs:
        total[name] = total.get(name, 0) + 1
        at = created.get(idea_id)
        if at is None:
            continue
        if at >= now - span:
            recent[name] = recent.get(name, 0) + 1
        elif at >= now - 2 * span:
            previous[name] = previous.get(name, 0) + 1
    top = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    emerging: list[dict[str, Any]] = []
    for name, r in recent.items():
        p = previous.get(name, 0)
        if r >= setting("EMERGING_MIN") and r > p:
            emerging.append(
                {"tag": name, "recent": r, "previous": p, "growth": round((r + 1) / (p + 1), 2)}
            )
    emerging.sort(key=lambda e: (-e["growth"], -e["recent"], e["tag"]))
    return {
        "top": [{"tag": name, "ideas": n} for name, n in top],
        "emerging": emerging[:5],
    }


# -- funnel -------------------------------------------------------------------------------------

_ACCEPTED_OR_LATER = {Status.ACCEPTED, Status.IN_BACKLOG, Status.IMPLEMENTED}
_BACKLOG_OR_LATER = {Status.IN_BACKLOG, Status.IMPLEMENTED}


def _median_days(spans: list[timedelta]) -> float | None:
    if not spans:
        return None
    return round(statistics.median(s.total_seconds() for s in spans) / 86400, 1)


def funnel(agency: Organisation) -> list[dict[str, Any]]:
    """Ideas posted → accepted → in a backlog → done, with the median days each step took.

    An idea *reached* a stage if it is there now or passed through it (an idea taken straight
    into a backlog counts as accepted then). The time of a stage is the first status change
    (or backlog link) that reached it; medians use only ideas with both ends. 3 queries.
    """
    ideas = {
        pk: (created, status)
        for pk, created, status in Idea.objects.visible()
        .filter(challenge__agency=agency)
        .values_list("pk", "created_at", "status")
    }
    accepted_at: dict[int, datetime] = {}
    backlog_at: dict[int, datetime] = {}
    done_at: dict[int, datetime] = {}

    def first(store: dict[int, datetime], idea_id: int, at: datetime) -> None:
        if idea_id not in store or at < store[idea_id]:
            store[idea_id] = at

    changes = StatusChange.objects.filter(
        idea__challenge__agency=agency, idea__merged_into__isnull=True
    ).values_list("idea_id", "to_status", "created_at")
    for idea_id, to_status, at in changes:
        if to_status in _ACCEPTED_OR_LATER:
            first(accepted_at, idea_id, at)
        if to_status in _BACKLOG_OR_LATER:
            first(backlog_at, idea_id, at)
        if to_status == Status.IMPLEMENTED:
            first(done_at, idea_id, at)
    for idea_id, at in BacklogIdeaLink.objects.filter(
        idea__challenge__agency=agency, idea__merged_into__isnull=True
    ).values_list("idea_id", "created_at"):
        first(backlog_at, idea_id, at)
        first(accepted_at, idea_id, at)

    def reached(store: dict[int, datetime], statuses: AbstractSet[str]) -> set[int]:
        return {pk for pk, (_c, status) in ideas.items() if status in statuses or pk in store}

    posted = set(ideas)
    accepted = reached(accepted_at, _ACCEPTED_OR_LATER)
    in_backlog = reached(backlog_at, _BACKLOG_OR_LATER)
    done = reached(done_at, {Status.IMPLEMENTED})
    spans_accept = [accepted_at[i] - ideas[i][0] for i in accepted if i in accepted_at]
    spans_backlog = [
        backlog_at[i] - accepted_at[i]
        for i in in_backlog
        if i in backlog_at and i in accepted_at and backlog_at[i] >= accepted_at[i]
    ]
    spans_done = [done_at[i] - backlog_at[i] for i in done if i in done_at and i in backlog_at]
    from django.utils.translation import gettext as _

    return [
        {"stage": _("Ideas posted"), "ideas": len(posted), "median_days": None},
        {"stage": _("Accepted"), "ideas": len(accepted), "median_days": _median_days(spans_accept)},
        {
            "stage": _("In a backlog"),
            "ideas": len(in_backlog),
            "median_days": _median_days(spans_backlog),
        },
        {"stage": _("Done"), "ideas": len(done), "median_days": _median_days(spans_done)},
    ]


# -- co-design and exchange -----------------------------------------------------------------


def activity(agency: Organisation, now: datetime | None = None) -> dict[str, Any]:
    """Co-design actions of the agency and exchange completions (platform-wide) in the last
    ``TIMELINE_DAYS`` days, by kind. Every kind registered in those groups is listed, so new
    co-design kinds appear as soon as they are recorded. 1 query."""
    now = now or timezone.now()
    since = now - timedelta(days=setting("TIMELINE_DAYS"))
    codesign = _kinds_in("codesign")
    exchange = _kinds_in("exchange")
    rows = (
        ParticipationEvent.objects.filter(occurred_at__gte=since)
        .filter(Q(agency=agency, kind__in=codesign) | Q(kind__in=exchange))
        .values("kind")
        .annotate(n=Count("id"), people=Count("participant", distinct=True))
        .order_by()
    )
    found: dict[str, Mapping[str, Any]] = {r["kind"]: r for r in rows}

    def section(keys: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "kind": key,
                "label": label_of(key),
                "actions": found.get(key, {}).get("n", 0),
                "people": found.get(key, {}).get("people", 0),
            }
            for key in keys
        ]

    co, ex = section(codesign), section(exchange)
    return {
        "codesign": co,
        "codesign_any": any(r["actions"] for r in co),
        "exchange": ex,
        "exchange_any": any(r["actions"] for r in ex),
    }


# -- segments and who is missing ---------------------------------------------------------------


@dataclass
class Breakdown:
    """People by one attribute (age group or area) in a window, suppressed."""

    attribute: str
    title: str
    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def shared(self) -> int:
        return sum(r["count"] for r in self.rows)


def _people_by(qs: QuerySet, attribute: str) -> dict[str, int]:
    return {
        row[attribute]: row["n"]
        for row in qs.exclude(**{attribute: ""})
        .exclude(participant="")
        .values(attribute)
        .annotate(n=Count("participant", distinct=True))
        .order_by()
    }


def _choices(attribute: str) -> list[tuple[str, str | Promise]]:
    if attribute == "age_band":
        return list(AgeBand.choices)
    return list(area_choices())


def segments(agency: Organisation, now: datetime | None = None) -> dict[str, Any]:
    """People who took part with the agency in the last ``SEGMENT_DAYS`` days, by age group and
    by area, among those who consented and chose to share; plus "who is missing" against every
    participant on the platform in the same window. 6 queries."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    since = now - timedelta(days=setting("SEGMENT_DAYS"))
    base_qs = ParticipationEvent.objects.filter(
        occurred_at__gte=since, kind__in=participation_kinds()
    )
    here_qs = base_qs.filter(agency=agency)
    total = (
        here_qs.exclude(participant="").aggregate(n=Count("participant", distinct=True))["n"] or 0
    )
    titles = {"age_band": _("Age group"), "area": _("Area")}
    breakdowns, missing = [], []
    for attribute in ("age_band", "area"):
        here = _people_by(here_qs, attribute)
        base = _people_by(base_qs, attribute)
        choices = _choices(attribute)
        shared = sum(here.values())
        not_shared = max(total - shared, 0)
        cells = suppress([here.get(key, 0) for key, _label in choices] + [not_shared])
        rows = [
            {"key": key, "label": str(label), "count": here.get(key, 0), "cell": cell}
            for (key, label), cell in zip(choices, cells[:-1], strict=True)
        ]
        rows.append(
            {
                "key": "",
                "label": _("Not shared, or not agreed to statistics"),
                "count": not_shared,
                "cell": cells[-1],
            }
        )
        breakdowns.append(Breakdown(attribute, titles[attribute], total, rows))
        missing += _missing(attribute, titles[attribute], choices, here, base, cells)
    return {
        "total": total,
        "total_cell": suppress([total])[0],
        "breakdowns": breakdowns,
        "missing": missing,
        "enough": sum(b.shared for b in breakdowns) >= setting("MIN_CELL"),
    }


def _missing(
    attribute: str,
    title: str | Promise,
    choices: list[tuple[str, str | Promise]],
    here: dict[str, int],
    base: dict[str, int],
    cells: list[Cell],
) -> list[dict[str, Any]]:
    """Groups whose share here is under ``UNDER_REPRESENTED`` x their share of all
    participants. Only groups with at least ``MIN_CELL`` people platform-wide are compared."""
    shared_here, shared_base = sum(here.values()), sum(base.values())
    if shared_here < setting("MIN_CELL") or shared_base < setting("MIN_CELL"):
        return []
    out = []
    for (key, label), cell in zip(choices, cells, strict=False):
        b = base.get(key, 0)
        if b < setting("MIN_CELL"):
            continue
        share_base = b / shared_base
        share_here = here.get(key, 0) / shared_here
        if share_here < setting("UNDER_REPRESENTED") * share_base:
            out.append(
                {
                    "attribute": str(title),
                    "group": str(label),
                    "here": cell,
                    "share_here": round(100 * share_here) if cell.shown else None,
                    "share_base": round(100 * share_base),
                    "ratio": share_here / share_base,
                }
            )
    out.sort(key=lambda m: (m["ratio"], m["group"]))
    return out


def dashboard(agency: Organisation, now: datetime | None = None) -> dict[str, Any]:
    """Everything the dashboard page shows (a constant number of queries)."""
    now = now or timezone.now()
    challenges = per_challenge(agency)
    return {
        "counters": counters(agency, now),
        "timeline": timeline(agency, now),
        "challenges": challenges,
        "services": per_service(agency, challenges),
        "tags": tags(agency, now),
        "funnel": funnel(agency),
        "activity": activity(agency, now),
        "segments": segments(agency, now),
    }


__all__ = ["Cell", "dashboard"]
