"""Reads shared by the conversation pages, the SMS commands, the API and the opinion source."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from community.types import AnyUser
from ideas.conversations import opinion, routing
from ideas.conversations.models import Conversation, Statement, StatementVote
from ideas.conversations.routing import Tally


def conversation_detail(pk: int) -> Conversation | None:
    return Conversation.objects.select_related("agency", "challenge").filter(pk=pk).first()


def _listing_key(challenge_id: int) -> str:
    return f"conversations:challenge:{challenge_id}"


def conversations_listing_key(challenge_id: int) -> str:
    """The cache key of :func:`conversations_on_challenge`'s entry, for a caller that reads
    it together with its own entries (the board page: one round trip for all)."""
    return _listing_key(challenge_id)


def conversations_on_challenge(
    challenge_id: int, prefetched: list[Conversation] | None = None
) -> list[Conversation]:
    """A challenge's conversations, newest first: one query, then the cache (the board page
    is otherwise answered from cache without a query; creating or closing a conversation
    forgets the entry, see :func:`listing_changed`). ``prefetched``: the entry as the caller
    already read it from the cache (None if it was not there)."""
    from django.core.cache import cache

    if prefetched is not None:
        return prefetched
    key = _listing_key(challenge_id)
    found = cache.get(key)
    if found is None:
        found = list(
            Conversation.objects.filter(challenge_id=challenge_id)
            .only("pk", "title", "opens_at", "closes_at", "challenge_id", "agency_id")
            .order_by("-opens_at", "-pk")
        )
        cache.set(key, found, 300)
    return found


def listing_changed(challenge_id: int | None) -> None:
    """Forget a challenge's cached conversation list once the transaction commits."""
    from django.core.cache import cache
    from django.db import transaction

    if challenge_id is not None:
        transaction.on_commit(lambda: cache.delete(_listing_key(challenge_id)))


def public_conversations() -> QuerySet[Conversation]:
    """Conversations that have opened, on published challenges or standalone."""
    from django.utils import timezone

    return (
        Conversation.objects.filter(opens_at__lte=timezone.now())
        .filter(Q(challenge__isnull=True) | Q(challenge__is_published=True))
        .select_related("agency", "challenge")
        .annotate(
            statement_total=Count(
                "statements", filter=Q(statements__is_hidden=False), distinct=True
            )
        )
    )


def shown_statements(conversation_id: int) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation_id=conversation_id, is_hidden=False)


def tallies(conversation_id: int) -> dict[int, Tally]:
    """Agree / disagree / pass counts of every shown statement (one query)."""
    rows = shown_statements(conversation_id).annotate(
        a=Count("votes", filter=Q(votes__value=1)),
        d=Count("votes", filter=Q(votes__value=-1)),
        p=Count("votes", filter=Q(votes__value=0)),
    )
    return {row.pk: Tally(row.a, row.d, row.p) for row in rows.only("pk")}


def voted_ids(user: AnyUser, conversation_id: int) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        StatementVote.objects.filter(
            account=user, statement__conversation_id=conversation_id
        ).values_list("statement_id", flat=True)
    )


@dataclass(frozen=True)
class Progress:
    voted: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.voted >= self.total


def next_statement(user: AnyUser, conversation: Conversation) -> tuple[Statement | None, Progress]:
    """The statement to show ``user`` now (None when they have voted on all) and their
    progress. Three queries whatever the size."""
    counts = tallies(conversation.pk)
    done = voted_ids(user, conversation.pk) & counts.keys()
    progress = Progress(voted=len(done), total=len(counts))
    person = user.pk if user.is_authenticated and user.pk is not None else 0
    ranked = routing.order(person, ((pk, t) for pk, t in counts.items() if pk not in done))
    if not ranked:
        return None, progress
    statement = Statement.objects.select_related("persona").get(pk=ranked[0])
    return statement, progress


def statement_by_number(conversation_id: int, number: int) -> Statement | None:
    return (
        shown_statements(conversation_id)
        .select_related("conversation")
        .filter(number=number)
        .first()
    )


def statement_labels(conversation_id: int, ids: list[int]) -> dict[int, str]:
    """Statement id → "12. text" for the report (shown statements only)."""
    return {
        s.pk: f"{s.number}. {s.text}"
        for s in shown_statements(conversation_id).filter(pk__in=ids).only("pk", "number", "text")
    }


def vote_rows(conversation_id: int) -> list[tuple[int, int, int]]:
    """(account id, statement id, value) of every vote on a shown statement."""
    return list(
        StatementVote.objects.filter(
            statement__conversation_id=conversation_id, statement__is_hidden=False
        ).values_list("account_id", "statement_id", "value")
    )


def consensus_statement_ids(conversation: Conversation) -> set[int]:
    """Statements the stored opinion map lists as consensus (empty before a map exists)."""
    return opinion.consensus_ids(conversation.pk)


@dataclass(frozen=True)
class Summary:
    participants: int
    statements: int
    votes: int


def summary(conversation_id: int) -> Summary:
    votes = StatementVote.objects.filter(
        statement__conversation_id=conversation_id, statement__is_hidden=False
    )
    return Summary(
        participants=votes.values("account_id").distinct().count(),
        statements=shown_statements(conversation_id).count(),
        votes=votes.count(),
    )


# -- Pol.is openData export --------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def polis_export(conversation: Conversation, *, site_url: str = "") -> dict[str, str]:
    """The conversation in Pol.is openData's format: ``comments.csv``,
    ``participants-votes.csv`` and ``summary.csv`` (name → CSV text).

    Comment ids are the statement numbers people see. Participants are numbered 0, 1, 2… in
    the order they first voted; account ids never appear. Statements here show their author's
    public persona name, so nothing in the files ties an author to a row of votes:
    ``author-id`` and ``n-comments`` are left empty (Pol.is's own files fill them because its
    statements are anonymous).
    Only shown statements and their votes are exported. ``group-id`` is the group the opinion
    engine puts each participant in (blank for people with too few votes to place).
    """
    statements = list(
        shown_statements(conversation.pk).select_related("persona").order_by("number")
    )
    votes = list(
        StatementVote.objects.filter(
            statement__conversation_id=conversation.pk, statement__is_hidden=False
        )
        .order_by("created_at", "pk")
        .values_list("account_id", "statement_id", "value", "created_at")
    )
    first_seen: dict[int, datetime] = {}
    for account, _statement, _value, at in votes:
        first_seen.setdefault(account, at)
    ordered = sorted(first_seen, key=lambda a: (first_seen[a], a))
    number = {account: i for i, account in enumerate(ordered)}
    by_id = {s.pk: s for s in statements}
    groups = opinion.groups_for(vote_rows(conversation.pk))

    agrees = {s.pk: 0 for s in statements}
    disagrees = {s.pk: 0 for s in statements}
    cells: dict[int, dict[int, int]] = {a: {} for a in ordered}
    for account, statement, value, _at in votes:
        cells[account][by_id[statement].number] = value
        if value == 1:
            agrees[statement] += 1
        elif value == -1:
            disagrees[statement] += 1

    comments: list[list[object]] = [
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
        ]
    ]
    for s in sorted(statements, key=lambda s: (-s.created_at.timestamp(), s.number)):
        comments.append(
            [
                int(s.created_at.timestamp() * 1000),
                s.created_at.strftime("%a %b %d %H:%M:%S UTC %Y"),
                s.number,
                "",
                agrees[s.pk],
                disagrees[s.pk],
                1,
                s.text,
            ]
        )
    numbers = [s.number for s in statements]
    participants: list[list[object]] = [
        ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *numbers]
    ]
    for account in ordered:
        row = cells[account]
        participants.append(
            [
                number[account],
                groups.get(account, ""),
                "",
                len(row),
                sum(1 for v in row.values() if v == 1),
                sum(1 for v in row.values() if v == -1),
                *[row.get(n, "") for n in numbers],
            ]
        )
    voters = len({a for a, *_rest in votes})
    summary_rows: list[list[object]] = [
        ["topic", conversation.title],
        ["url", site_url.rstrip("/") + conversation.get_absolute_url()],
        ["views", voters],
        ["voters", voters],
        ["voters-in-conv", voters],
        ["commenters", len({s.persona_id for s in statements if not s.is_seed})],
        ["comments", len(statements)],
        ["groups", len(set(groups.values()))],
        ["conversation-description", conversation.question],
    ]
    return {
        "comments.csv": _csv(comments),
        "participants-votes.csv": _csv(participants),
        "summary.csv": _csv(summary_rows),
    }
