"""Reads the budgeting pages share, each a fixed number of queries however much data there is
(query-count tests in ``tests/test_views.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ideas.budgeting import selectors
from ideas.budgeting.explain import Explanation, explain
from ideas.budgeting.models import (
    Ballot,
    Budget,
    BudgetProcess,
    Project,
    ReviewState,
    Voter,
)

SORTS = {"number": "number", "cost": "cost", "-cost": "-cost", "title": "title"}


def processes() -> QuerySet[BudgetProcess]:
    """Public processes (proposals have started), newest vote first, with their agency and
    how many budgets each has (one query)."""
    return selectors.public_processes().annotate(budget_count=Count("budgets", distinct=True))


def process_by_slug(slug: str) -> BudgetProcess | None:
    return BudgetProcess.objects.select_related("agency").filter(slug=slug).first()


def budgets_of(process: BudgetProcess) -> list[Budget]:
    """The process's budgets with how many projects each has on the ballot."""
    return list(
        process.budgets.annotate(
            on_ballot=Count(
                "projects",
                filter=Q(projects__review_state=ReviewState.FEASIBLE, projects__is_hidden=False),
            )
        ).select_related("result")
    )


def budget_in(process: BudgetProcess, pk: int) -> Budget | None:
    return Budget.objects.select_related("process__agency").filter(process=process, pk=pk).first()


def visible_projects(budget: Budget) -> QuerySet[Project]:
    """Projects anyone may see on a budget: reviewed (on the ballot, rejected with their
    public reason, or merged) and not hidden by moderation."""
    return (
        selectors.public_projects(budget.process)
        .filter(budget=budget)
        .select_related("process", "proposer__organisation")
    )


def ballot_projects(budget: Budget) -> list[Project]:
    """The ballot, each project with what its page link and the results page need."""
    return list(selectors.ballot_projects(budget).select_related("process", "backlog_item"))


def filtered_projects(budget: Budget, *, state: str, sort: str, q: str) -> list[Project]:
    projects = visible_projects(budget)
    if state in ReviewState.values:
        projects = projects.filter(review_state=state)
    if q:
        projects = projects.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return list(projects.order_by(SORTS.get(sort, "number"), "number"))


def project_by_number(process: BudgetProcess, number: int) -> Project | None:
    return (
        Project.objects.select_related(
            "process__agency", "budget", "proposer", "idea", "merged_into", "backlog_item"
        )
        .filter(process=process, number=number)
        .first()
    )


def voter_of(user: Any, process: BudgetProcess) -> Voter | None:
    """The voter record of a signed-in account in ``process`` (None if not verified)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Voter.objects.filter(process=process, user=user).select_related("district").first()


def ballot_of(voter: Voter | None, budget: Budget) -> Ballot | None:
    return None if voter is None else selectors.ballot_of(voter, budget)


@dataclass(frozen=True)
class ResultRow:
    project: Project
    explanation: Explanation


def result_rows(budget: Budget) -> list[ResultRow]:
    """Each project on the ballot with its fate explained, winners first in the order the rule
    chose them, then the rest in the order it considered them."""
    result = getattr(budget, "result", None)
    if result is None:
        return []
    fates = {str(k): v for k, v in (result.fates or {}).items()}
    rows = []
    for project in ballot_projects(budget):
        fate = fates.get(str(project.number))
        if fate is None:
            continue
        rows.append(
            ResultRow(
                project,
                explain(fate, cost=project.cost, rule=result.rule, kind=budget.ballot_kind),
            )
        )
    rows.sort(
        key=lambda r: (not r.explanation.selected, r.explanation.rank or 10**9, r.project.number)
    )
    return rows
