"""What budgeting publishes as open data (the API, the bulk ZIP and pabulib ``.pb`` files).

Ballots are published only for budgets whose results are published, anonymised: the choices
alone, in the order the count read them (``selectors.counted_ballots``), numbered from 1 —
never the voter, the key, the account, the channel or the time. The same order is the
ballot numbering of the pabulib file and of the Equal Shares ``paid_by`` explanations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from ideas.budgeting import selectors
from ideas.budgeting.engine import Ballot, Project, RuleName
from ideas.budgeting.engine import BallotKind as EngineKind
from ideas.budgeting.engine.pabulib import PABULIB_RULE, PABULIB_VOTE_TYPE, Election, write_pb
from ideas.budgeting.models import BallotKind, Budget, BudgetResult


def published_budgets() -> QuerySet[Budget]:
    return selectors.finished_budgets()


def anonymous_ballots(budget: Budget) -> Iterator[dict[str, Any]]:
    """``{"budget", "number", "choices"}`` per counted ballot, numbered as counted."""
    rows = selectors.counted_ballots(budget).values_list("choices", flat=True)
    for number, choices in enumerate(rows.iterator(chunk_size=2000), start=1):
        yield {"budget": budget.pk, "number": number, "choices": choices}


def public_fates(result: BudgetResult) -> dict[str, dict[str, Any]]:
    """Each project's fate without per-ballot payments (their count and total instead)."""
    out: dict[str, dict[str, Any]] = {}
    for project, fate in result.fates.items():
        paid = fate.get("paid_by") or {}
        out[project] = {
            "selected": fate.get("selected"),
            "score": fate.get("score"),
            "reason": fate.get("reason"),
            "remaining_before": fate.get("remaining_before"),
            "rank": fate.get("rank"),
            "paid_by_ballots": len(paid),
            "paid_total": round(sum(float(v) for v in paid.values()), 2),
        }
    return out


def pabulib_text(budget: Budget) -> str:
    """A finished budget as a pabulib ``.pb`` file (META, PROJECTS with votes and selected,
    VOTES anonymised as above), so researchers' tools (pabutools) read it directly."""
    result: BudgetResult = budget.result
    process = budget.process
    projects = list(selectors.ballot_projects(budget))
    fates = result.fates
    counts_people = budget.ballot_kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK)
    score_column = "votes" if counts_people else "score"
    election = Election(
        meta={
            "description": f"{process.title}: {budget.name}",
            "country": getattr(settings, "PABULIB_COUNTRY", ""),
            "unit": process.agency.name,
            "instance": str(process.voting_close.year),
            "district": budget.district.name if budget.district else "",
            "num_projects": str(len(projects)),
            "num_votes": str(result.ballots_counted),
            "budget": str(budget.amount),
            # pabulib's names (a knapsack ballot is written as approval: pabulib has no
            # knapsack type), which pabutools and researchers' tools expect.
            "vote_type": PABULIB_VOTE_TYPE[EngineKind(budget.ballot_kind)],
            "rule": PABULIB_RULE[RuleName(budget.rule)],
            "date_begin": process.voting_open.date().isoformat(),
            "date_end": process.voting_ends.date().isoformat(),
            **({"min_length": str(budget.min_choices)} if budget.min_choices else {}),
            **({"max_length": str(budget.max_choices)} if budget.max_choices else {}),
            **({"max_sum_points": str(budget.points)} if budget.points else {}),
            "language": settings.LANGUAGE_CODE,
        },
        projects=[Project(id=str(p.number), cost=int(p.cost or 0), name=p.title) for p in projects],
        ballots=[
            Ballot(choices={str(k): int(v) for k, v in row["choices"].items()})
            for row in anonymous_ballots(budget)
        ],
        project_meta={
            str(p.number): {
                score_column: str(fates.get(str(p.number), {}).get("score", 0)),
                "selected": "1" if fates.get(str(p.number), {}).get("selected") else "0",
                **(
                    {"latitude": str(p.latitude), "longitude": str(p.longitude)}
                    if p.latitude is not None and p.longitude is not None
                    else {}
                ),
            }
            for p in projects
        },
    )
    return write_pb(election)
