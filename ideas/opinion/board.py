"""Idea boards as an opinion-map source (kind ``"board"``, subject: the challenge id).

What a board knows, as votes: a support is **agree**; an idea a participant was shown
(``BoardImpression``) and did not support is **pass** (they saw it and did not back it —
not the same as being against it); any other idea is **unseen**. Participants are accounts
that support a shown idea or were shown one. A board with no recorded impressions at all gets
no map ("we don't yet know which ideas people saw"): every unsupported idea would count as
unseen, and consensus over "those who saw it" would be support among supporters only.

Only ideas the board shows now count (not merged away, held or hidden). The map is for the
challenge's agency staff (the insight dashboard), as before.
"""

from __future__ import annotations

from django.urls import reverse

from ideas.insight.permissions import can_view_insight
from ideas.models import Challenge, Vote
from ideas.opinion import engine
from ideas.opinion.models import BoardImpression
from ideas.opinion.sources import MapUnavailable, register_source
from ideas.selectors import board_ideas

KIND = "board"


def shown_idea_ids(challenge_id: int, idea_ids: list[int] | set[int] | None = None) -> set[int]:
    """Ids of ideas the board shows now (of ``idea_ids`` if given): one query."""
    ideas = board_ideas(challenge=challenge_id, sort="newest").order_by()
    if idea_ids is not None:
        ideas = ideas.filter(pk__in=list(idea_ids))
    return set(ideas.values_list("pk", flat=True))


def load(challenge_id: int) -> engine.VoteMatrix:
    Challenge.objects.only("pk").get(pk=challenge_id)  # DoesNotExist: the map is dropped
    shown = shown_idea_ids(challenge_id)
    impressions = list(
        BoardImpression.objects.filter(challenge_id=challenge_id).values_list("user_id", "ideas")
    )
    if not impressions:
        raise MapUnavailable("no_impressions")
    votes: dict[tuple[int, int], int] = {}
    for user_id, ideas in impressions:
        for idea_id in ideas:
            if idea_id in shown:
                votes[user_id, idea_id] = engine.PASS
    supports = Vote.objects.filter(idea__challenge_id=challenge_id).values_list(
        "account_id", "idea_id"
    )
    for user_id, idea_id in supports.iterator(chunk_size=5000):
        if idea_id in shown:
            votes[user_id, idea_id] = engine.AGREE
    return matrix_from_votes(votes, statements=shown)


def matrix_from_votes(votes: dict[tuple[int, int], int], *, statements) -> engine.VoteMatrix:
    """A ``VoteMatrix`` from {(account, statement): vote}. Accounts are renumbered 0..n-1 in
    id order first: the engine and anything it keeps in memory never hold an account id."""
    accounts = {key: n for n, key in enumerate(sorted({a for a, _s in votes}))}
    return engine.VoteMatrix.from_votes(
        ((accounts[a], s, v) for (a, s), v in votes.items()), statements=sorted(statements)
    )


def may_view(user, challenge_id: int) -> bool:
    agency_id = Challenge.objects.filter(pk=challenge_id).values_list("agency_id", flat=True)
    agency_id = agency_id.first()
    return agency_id is not None and can_view_insight(user, agency_id)


def statement_labels(challenge_id: int, idea_ids: list[int]) -> dict[int, str]:
    ideas = board_ideas(challenge=challenge_id, sort="newest").order_by()
    return dict(ideas.filter(pk__in=list(idea_ids)).values_list("pk", "title"))


def url(challenge_id: int) -> str:
    return reverse("ideas:board", args=[challenge_id])


def register() -> None:
    register_source(KIND, load=load, may_view=may_view, statement_labels=statement_labels, url=url)
