"""Test data for the budgeting pages: a process in a given phase, its budget, reviewed
projects, voters with ballots and a stored result (rows made directly; the actions are
tested in pb-core's own tests)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from django.utils import timezone

from community.models import Organisation, User
from community.tests.factories import OrganisationFactory, UserFactory
from ideas.budgeting import engine
from ideas.budgeting.models import (
    Ballot,
    Budget,
    BudgetProcess,
    BudgetResult,
    Channel,
    Project,
    ReviewState,
    VerifiedBy,
    Voter,
)

_n = count(1)

DAY = timedelta(days=1)


def process(phase: str = "voting", agency: Organisation | None = None, **fields) -> BudgetProcess:
    """A process whose dates put it in ``phase`` now (upcoming, proposals, review, voting,
    counting or results)."""
    now = timezone.now()
    starts = {
        "upcoming": now + DAY,
        "proposals": now - DAY,
        "review": now - 3 * DAY,
        "voting": now - 5 * DAY,
        "counting": now - 9 * DAY,
        "results": now - 9 * DAY,
    }[phase]
    n = next(_n)
    dates = {
        "proposals_open": starts,
        "proposals_close": starts + 2 * DAY,
        "review_close": starts + 4 * DAY,
        "voting_open": starts + 4 * DAY,
        "voting_close": starts + 8 * DAY,
    }
    if phase == "results":
        dates["results_published"] = now - timedelta(hours=1)
    values = {
        "title": f"Neighbourhood budget {n}",
        "slug": f"neighbourhood-budget-{n}",
        "register_fields": ["document_number", "postcode"],
    }
    return BudgetProcess.objects.create(
        agency=agency or OrganisationFactory(), **(values | dates | fields)
    )


def budget(process: BudgetProcess, **fields) -> Budget:
    values = {"name": "Whole city", "amount": 100_000, "rule": "greedy"} | fields
    return Budget.objects.create(process=process, **values)


def project(budget: Budget, cost: int | None = 30_000, **fields) -> Project:
    number = (Project.objects.filter(process=budget.process).count() or 0) + 1
    values = {
        "title": f"Project {number}",
        "description": "Benches and shade along the river path.",
        "review_state": ReviewState.FEASIBLE if cost else ReviewState.SUBMITTED,
    } | fields
    return Project.objects.create(
        process=budget.process, budget=budget, number=number, cost=cost, **values
    )


def voter(process: BudgetProcess, user: User | None = None, **fields) -> Voter:
    n = next(_n)
    values = {"key": f"reg:test{n}", "verified_by": VerifiedBy.REGISTER} | fields
    return Voter.objects.create(process=process, user=user, **values)


def ballot(budget: Budget, voter: Voter, numbers, channel: str = Channel.WEB, **fields) -> Ballot:
    choices = numbers if isinstance(numbers, dict) else {str(n): 1 for n in numbers}
    return Ballot.objects.create(
        budget=budget, voter=voter, choices=choices, channel=channel, **fields
    )


def voters_with_ballots(budget: Budget, ballots: list[list[int]]) -> list[User]:
    """One signed-up account per ballot, each a voter who chose those project numbers."""
    users = []
    for numbers in ballots:
        user = UserFactory()
        ballot(budget, voter(budget.process, user=user), numbers)
        users.append(user)
    return users


def counted(budget: Budget) -> BudgetResult:
    """Count ``budget``'s counted ballots with the engine and store the result as
    ``results_compute`` does."""
    projects = [
        engine.Project(id=str(p.number), cost=int(p.cost), name=p.title)
        for p in Project.objects.filter(budget=budget, review_state=ReviewState.FEASIBLE)
    ]
    ballots = [
        engine.Ballot(choices={str(k): int(v) for k, v in b.choices.items()})
        for b in Ballot.objects.filter(budget=budget, is_counted=True).order_by("pk")
    ]
    result = engine.compute(
        engine.RuleName(budget.rule),
        projects,
        ballots,
        int(budget.amount),
        kind=engine.BallotKind(budget.ballot_kind),
    )
    fates = {
        pid: {
            "selected": f.selected,
            "score": f.score,
            "reason": str(f.reason),
            "remaining_before": f.remaining_before,
            "rank": f.rank,
            "paid_by": {str(i): round(float(a), 2) for i, a in f.paid_by.items()},
        }
        for pid, f in result.fates.items()
    }
    return BudgetResult.objects.create(
        budget=budget,
        rule=budget.rule,
        amount=budget.amount,
        selected=list(result.selected),
        spent=result.spent,
        fates=fates,
        ballots_counted=len(ballots),
    )
