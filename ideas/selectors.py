"""Reads shared by board pages, snapshots, template tags and exports.

Every function returns querysets with their relations loaded so the number of queries does
not grow with the number of ideas, comments or challenges shown.

Trending (documented in docs/realtime.md and on the board):
``trending = support_count + TRENDING_RECENT_WEIGHT * supports received in the last
TRENDING_WINDOW_DAYS days`` (defaults 4 and 7), ties broken by newest. Recent support
therefore counts five times as much as old support, and an idea with no recent support
sinks to the position its total earns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from community import versions as community_versions
from community.moderation.selectors import hidden_q
from ideas.conf import setting
from ideas.models import Challenge, Comment, Idea, Phase, StatusChange, Vote

SORTS = ("trending", "top", "newest")
DEFAULT_SORT = "trending"


def challenge_list(
    *,
    agency: str | None = None,
    tag: str | None = None,
    phase: str | None = None,
    query: str | None = None,
) -> QuerySet[Challenge]:
    """Published challenges for the listing page, with agency and tags (idea totals for the
    page shown: :func:`with_idea_totals`)."""
    challenges = (
        Challenge.objects.published()
        .select_related("agency")
        .prefetch_related("tags")
        .order_by("-opens_at", "-id")
    )
    if agency:
        challenges = challenges.filter(agency__slug=agency)
    if tag:
        challenges = challenges.filter(tags__slug=tag)
    if phase in Phase.values:
        challenges = challenges.in_phase(phase)
    if query:
        challenges = challenges.filter(
            Q(question__icontains=query)
            | Q(cover_text__icontains=query)
            | Q(background__icontains=query)
        )
    return challenges.distinct()


def challenge_for_board(pk: int) -> Challenge:
    """A challenge with its agency. The board reads its tags and service pages once each (one
    query apiece: cheaper than prefetching them onto a single row)."""
    return Challenge.objects.select_related("agency").get(pk=pk)


def _visible_on_board(challenge: Challenge | int, status: str) -> QuerySet[Idea]:
    ideas = Idea.objects.visible().filter(challenge=challenge).exclude(hidden_q(Idea))
    return ideas.filter(status=status) if status else ideas


def shown_ideas_stamp(challenge_id: int) -> str:
    """The :mod:`community.versions` stamp of which ideas a board shows and with which status:
    moved by :func:`shown_ideas_changed` only, so support and comments, however busy, never
    invalidate a board's totals."""
    return f"ideas:shown:{challenge_id}"


def shown_ideas_changed(challenge_id: int) -> None:
    """Call inside the transaction of any write that adds an idea to a board, removes one
    (held, hidden, merged) or changes one's status: totals are counted again after commit,
    and the board's opinion map is recomputed (its statements changed)."""
    from ideas.opinion.services import schedule_recompute_on_commit

    community_versions.bump(shown_ideas_stamp(challenge_id))
    schedule_recompute_on_commit("board", challenge_id)


TOTAL_KEY = "ideas:total:{challenge}:{status}"


def visible_totals(challenge_ids: list[int], *, status: str = "") -> dict[int, int]:
    """How many ideas each board shows (not merged, held or hidden; of ``status`` if given).

    Exact, and counted once per change to which ideas a board shows, not once per view nor
    once per vote: each total is cached with the board's :func:`shown_ideas_stamp`, read
    before counting (a change committing during the count leaves the count unused), and
    used only while that stamp holds. One cache round trip; boards counted afresh are
    counted together in one query.
    """
    ids = list(dict.fromkeys(challenge_ids))
    if not ids:
        return {}
    stamps = {pk: shown_ideas_stamp(pk) for pk in ids}
    keys = {pk: TOTAL_KEY.format(challenge=pk, status=status) for pk in ids}
    current, found = community_versions.read(list(stamps.values()), entries=list(keys.values()))
    totals = {}
    for pk in ids:
        total = community_versions.fresh(found.get(keys[pk]), (current[stamps[pk]],))
        if total is not None:
            totals[pk] = total
    missing = [pk for pk in ids if pk not in totals]
    if missing:
        ideas = Idea.objects.visible().filter(challenge_id__in=missing).exclude(hidden_q(Idea))
        if status:
            ideas = ideas.filter(status=status)
        counted = dict(
            ideas.order_by()
            .values("challenge_id")
            .annotate(n=Count("pk"))
            .values_list("challenge_id", "n")
        )
        fresh = {pk: counted.get(pk, 0) for pk in missing}
        community_versions.store_many(
            {keys[pk]: ((current[stamps[pk]],), n) for pk, n in fresh.items()},
            timeout=setting("CACHE_SECONDS"),
        )
        totals.update(fresh)
    return totals


def with_idea_totals(challenges: list[Challenge]) -> list[Challenge]:
    """Sets ``idea_total`` (the ideas its board shows) on each challenge; see
    :func:`visible_totals`."""
    challenges = list(challenges)
    totals = visible_totals([c.pk for c in challenges])
    for challenge in challenges:
        challenge.idea_total = totals[challenge.pk]
    return challenges


def board_ideas(
    *,
    challenge: Challenge | int,
    sort: str = DEFAULT_SORT,
    status: str = "",
    first: int | None = None,
) -> QuerySet[Idea]:
    """The board's visible ideas in ``sort`` order, optionally of one ``status``.

    ``first``: the caller needs only the first ``first`` ideas (a page and those before it).
    Newest and most supported then walk an index and stop. Trending scores only the ideas that
    can rank that high: those supported within the window, and the ``first`` most supported
    (an idea without recent support scores its ``support_count``, so at least ``first`` of
    those rank above any other one). Its cost follows the window's support, not the board.
    """
    visible = _visible_on_board(challenge, status)
    ideas = visible.select_related("persona").prefetch_related("tags")
    if sort == "top":
        return ideas.order_by("-support_count", "-created_at", "-id")
    if sort == "newest":
        return ideas.order_by("-created_at", "-id")
    since = timezone.now() - timedelta(days=setting("TRENDING_WINDOW_DAYS"))
    if first is not None:
        recent = Vote.objects.filter(created_at__gte=since, idea__challenge=challenge)
        most_supported = visible.order_by("-support_count", "-created_at", "-id")[:first]
        if connection.features.supports_slicing_ordering_in_compound:
            # One UNION the planner reads by primary key (PostgreSQL).
            candidates = Q(pk__in=recent.values("idea_id").union(most_supported.values("pk")))
        else:  # SQLite cannot LIMIT inside a UNION
            candidates = Q(pk__in=recent.values("idea_id")) | Q(pk__in=most_supported.values("pk"))
        ideas = ideas.filter(candidates)
    # Counted per idea through the (idea, created_at) index: no join with every vote.
    recent_support = (
        Vote.objects.filter(idea=OuterRef("pk"), created_at__gte=since)
        .values("idea")
        .annotate(n=Count("id"))
        .values("n")
    )
    return ideas.annotate(
        recent_support=Coalesce(Subquery(recent_support), 0),
        trending_score=F("support_count") + setting("TRENDING_RECENT_WEIGHT") * F("recent_support"),
    ).order_by("-trending_score", "-created_at", "-id")


def supported_ids(user, idea_ids: list[int]) -> set[int]:
    """Which of ``idea_ids`` the viewer supports (one query; none for anonymous viewers)."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(
        Vote.objects.filter(account=user, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


@dataclass
class BoardPage:
    ideas: list[Idea]
    total: int
    number: int
    pages: int
    supported: set[int]


def board_page(*, challenge: Challenge, user, sort: str, status: str, page: int) -> BoardPage:
    """One page of a board with the viewer's supports: a fixed number of queries."""
    size = setting("BOARD_PAGE_SIZE")
    total = visible_totals([challenge.pk], status=status)[challenge.pk]
    pages = max(1, -(-total // size))
    number = min(max(1, page), pages)
    ideas = board_ideas(challenge=challenge, sort=sort, status=status, first=number * size)
    rows = list(ideas[(number - 1) * size : number * size])
    if isinstance(challenge, Challenge):
        for idea in rows:
            idea.challenge = challenge  # permission checks read it: no query per idea
    return BoardPage(
        ideas=rows,
        total=total,
        number=number,
        pages=pages,
        supported=supported_ids(user, [i.pk for i in rows]),
    )


def idea_for_page(pk: int) -> Idea:
    return (
        Idea.objects.select_related("challenge__agency", "persona", "merged_into")
        .prefetch_related("tags")
        .get(pk=pk)
    )


def idea_comments(idea: Idea) -> list[Comment]:
    """Top-level comments, oldest first, each with ``replies`` loaded (two queries)."""
    replies = Comment.objects.select_related("persona").order_by("created_at", "id")
    return list(
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related("persona")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def idea_responses(idea: Idea) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(idea=idea).select_related("agency").order_by("-created_at")


def merge_targets(idea: Idea) -> QuerySet[Idea]:
    """Ideas ``idea`` could be merged into: the rest of its board, most supported first."""
    return (
        Idea.objects.visible()
        .filter(challenge_id=idea.challenge_id)
        .exclude(pk=idea.pk)
        .order_by("-support_count", "title")
        .only("pk", "title", "support_count")
    )


def open_challenges(*, limit: int = 3) -> list[Challenge]:
    """Challenges open for ideas now, closing soonest first, with their ``idea_total`` (one
    query, and the totals from :func:`visible_totals`: counting every idea on every open board
    on each view made the home page slower the more ideas the site held)."""
    return with_idea_totals(
        Challenge.objects.published()
        .in_phase(Phase.OPEN)
        .select_related("agency")
        .order_by("ideas_close_at", "id")[:limit]
    )


def challenges_for_page(page: Any) -> list[Challenge]:
    """Published challenges (open or in review) linked to a Wagtail page (one query)."""
    now = timezone.now()
    return list(
        Challenge.objects.published()
        .filter(service_pages=page, opens_at__lte=now, closes_at__gt=now)
        .select_related("agency")
        .order_by("ideas_close_at", "id")
    )


def challenges_linked_to(page_id: int) -> list[Challenge]:
    """Every published challenge linked to a Wagtail page, whatever its phase, with its agency
    (one query): a page's panel shows those open or in review, and changes when one of them
    opens or closes."""
    return list(
        Challenge.objects.published()
        .filter(service_pages=page_id)
        .select_related("agency")
        .order_by("ideas_close_at", "id")
    )


def recent_ideas(*, challenges: list[Challenge] | None = None, limit: int = 5) -> list[Idea]:
    ideas = Idea.objects.visible().filter(challenge__is_published=True).exclude(hidden_q(Idea))
    if challenges is not None:
        ideas = ideas.filter(challenge__in=challenges)
    return list(ideas.select_related("persona", "challenge").order_by("-created_at", "-id")[:limit])


@dataclass
class Activity:
    kind: str  # "idea" or "comment"
    at: Any
    idea: Idea
    persona: Any
    comment: Comment | None = None


def live_activity(*, limit: int = 5) -> list[Activity]:
    """Newest ideas and comments across published boards, interleaved (two queries)."""
    ideas = recent_ideas(limit=limit)
    comments = list(
        Comment.objects.filter(idea__challenge__is_published=True, idea__merged_into__isnull=True)
        .exclude(hidden_q(Comment))
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("persona", "idea__challenge")
        .order_by("-created_at", "-id")[:limit]
    )
    items = [Activity("idea", i.created_at, i, i.persona) for i in ideas] + [
        Activity("comment", c.created_at, c.idea, c.persona, c) for c in comments
    ]
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]


def public_contributions_of(persona: Any, limit: int) -> list[dict[str, Any]]:
    """Ideas and comments made as ``persona`` on published boards, newest first (2 queries).

    Feeds the public persona page (``community.profiles``); only this persona's public
    contributions, never the account's other personas.
    """
    ideas = (
        Idea.objects.filter(persona=persona, merged_into__isnull=True, challenge__is_published=True)
        .exclude(hidden_q(Idea))
        .select_related("challenge")
        .order_by("-created_at")[:limit]
    )
    comments = (
        Comment.objects.filter(persona=persona, idea__challenge__is_published=True)
        .exclude(hidden_q(Comment))
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("idea")
        .order_by("-created_at")[:limit]
    )
    rows = [
        {
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "created_at": idea.created_at,
            "summary": _("Idea on “%(challenge)s”") % {"challenge": idea.challenge.question},
        }
        for idea in ideas
    ] + [
        {
            "title": _("Comment on “%(idea)s”") % {"idea": comment.idea.title},
            "url": comment.idea.get_absolute_url(),
            "created_at": comment.created_at,
        }
        for comment in comments
    ]
    return sorted(rows, key=lambda row: row["created_at"], reverse=True)[:limit]


# -- open data (the public API, feeds and bulk downloads in ``api``) ----------------------------


def public_challenges() -> QuerySet[Challenge]:
    """Published challenges with their agency, tags and count of public ideas (one query +
    one for tags)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    ideas = (
        Idea.objects.visible()
        .filter(challenge=OuterRef("pk"))
        .exclude(hidden_q(Idea))
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Challenge.objects.published()
        .select_related("agency")
        .prefetch_related("tags")
        .annotate(public_idea_count=Coalesce(Subquery(ideas, output_field=IntegerField()), 0))
    )


def public_ideas() -> QuerySet[Idea]:
    """Ideas anyone may see: on published boards, not merged away, not held or hidden; with
    their persona, tags and official responses loaded."""
    return (
        Idea.objects.visible()
        .filter(challenge__is_published=True)
        .exclude(hidden_q(Idea))
        .select_related("persona", "challenge")
        .prefetch_related(
            "tags",
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.select_related("agency").order_by(
                    "-created_at", "-id"
                ),
            ),
        )
    )


def public_comments() -> QuerySet[Comment]:
    """Comments anyone may see: on public ideas, not held or hidden themselves."""
    return (
        Comment.objects.filter(
            idea__challenge__is_published=True,
            idea__merged_into__isnull=True,
        )
        .exclude(hidden_q(Comment))
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("persona")
    )


def public_status_changes() -> QuerySet[StatusChange]:
    """Official responses on public ideas, with the idea and the responding agency."""
    return (
        StatusChange.objects.filter(
            idea__challenge__is_published=True, idea__merged_into__isnull=True
        )
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("agency", "idea__challenge")
    )
