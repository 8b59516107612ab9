"""Reads shared by budgeting pages, the API, SMS and the open-data builders.

Every list here is one or two queries whatever its length (``select_related`` on what each
row shows); ``tests/test_selectors.py`` counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from community.types import AnyUser
from ideas.budgeting.models import (
    Ballot,
    Budget,
    BudgetProcess,
    BudgetResult,
    Channel,
    Phase,
    Project,
    ReviewState,
    Voter,
)
from ideas.insight.suppression import Cell, suppress


def public_processes() -> QuerySet[BudgetProcess]:
    """Processes anyone may see: their proposals phase has started."""
    return BudgetProcess.objects.filter(proposals_open__lte=timezone.now()).select_related("agency")


def process_budgets(process: BudgetProcess) -> QuerySet[Budget]:
    return process.budgets.select_related("district").order_by("position", "pk")


def ballot_projects(budget: Budget) -> QuerySet[Project]:
    """The projects on a budget's ballot: reviewed feasible, costed, not hidden, by number."""
    return (
        Project.objects.filter(
            budget=budget, review_state=ReviewState.FEASIBLE, is_hidden=False, cost__isnull=False
        )
        .select_related("proposer")
        .order_by("number")
    )


def public_projects(process: BudgetProcess) -> QuerySet[Project]:
    """Reviewed projects anyone may see (feasible, rejected with their reason, merged)."""
    return (
        Project.objects.filter(process=process, is_hidden=False)
        .exclude(review_state=ReviewState.SUBMITTED)
        .select_related("budget", "proposer", "merged_into")
        .order_by("number")
    )


def projects_to_review(process: BudgetProcess) -> QuerySet[Project]:
    return (
        Project.objects.filter(process=process, review_state=ReviewState.SUBMITTED)
        .select_related("budget", "proposer", "idea", "outcome")
        .order_by("created_at", "pk")
    )


def counted_ballots(budget: Budget) -> QuerySet[Ballot]:
    """Ballots that count, in a stable order (the order results' ``paid_by`` refers to)."""
    return Ballot.objects.filter(budget=budget, is_counted=True).order_by("pk")


def voter_for(user: AnyUser, process: BudgetProcess) -> Voter | None:
    """The voter record of a signed-in account in ``process`` (None if not verified)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Voter.objects.filter(process=process, user_id=user.pk or 0)
        .select_related("district")
        .first()
    )


def ballot_of(voter: Voter, budget: Budget) -> Ballot | None:
    return Ballot.objects.filter(voter=voter, budget=budget).first()


def pending_paper_ballots(process: BudgetProcess) -> QuerySet[Ballot]:
    """Paper ballots entered but not yet confirmed by a second member of staff."""
    return (
        Ballot.objects.filter(budget__process=process, channel=Channel.PAPER, is_counted=False)
        .select_related("budget", "entered_by")
        .order_by("submitted_at", "pk")
    )


def result_of(budget: Budget) -> BudgetResult | None:
    return BudgetResult.objects.filter(budget=budget).first()


def finished_budgets() -> QuerySet[Budget]:
    """Budgets whose results are published (what open data exports as pabulib files)."""
    return (
        Budget.objects.filter(process__results_published__lte=timezone.now(), result__isnull=False)
        .select_related("process", "process__agency", "district", "result")
        .order_by("process_id", "position", "pk")
    )


@dataclass(frozen=True)
class DistrictTurnout:
    name: str
    cell: Cell


@dataclass(frozen=True)
class Turnout:
    """Counted ballots in a budget: the total and per voter district, small counts
    suppressed (1-4 people are never shown; see ``ideas.insight.suppression``)."""

    budget_id: int
    total: Cell
    districts: list[DistrictTurnout]


def turnout(budget: Budget) -> Turnout:
    """One query: counted ballots grouped by the voter's district."""
    rows = (
        Ballot.objects.filter(budget=budget, is_counted=True)
        .values("voter__district__name")
        .annotate(n=Count("pk"))
        .order_by("voter__district__name")
    )
    names = [row["voter__district__name"] or _("Whole city") for row in rows]
    counts = [row["n"] for row in rows]
    total = sum(counts)
    cells = suppress(counts) if len(counts) > 1 else [suppress([c])[0] for c in counts]
    total_cell = suppress([total])[0]
    return Turnout(
        budget_id=budget.pk,
        total=total_cell,
        districts=[
            DistrictTurnout(name=name, cell=cell) for name, cell in zip(names, cells, strict=True)
        ],
    )


def phase_of(process: BudgetProcess) -> Phase:
    return process.phase


def voters_who_chose(project: Project) -> QuerySet[Voter]:
    """Voters whose counted ballot chose ``project`` (close-the-loop notifications).

    Ballots store choices by project number as text, so this filters on the JSON key."""
    return Voter.objects.filter(
        Q(ballots__budget_id=project.budget_id)
        & Q(ballots__is_counted=True)
        & Q(**{"ballots__choices__has_key": str(project.number)})
    ).select_related("user")
