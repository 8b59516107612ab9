"""Budget projects as backlog sources (registered in ``BudgetingConfig.ready``).

When a winning project becomes a backlog item (:mod:`ideas.budgeting.actions.delivery`), and
whenever that item later changes publicly, every voter whose *counted* ballot chose the project
hears back through the backlog's close-the-loop notifications. A ballot is never public: the
notification goes only to the voter. Voters verified at the counter or by phone without an
account have no account to tell.
"""

from __future__ import annotations

from ideas.backlog.sources import register_source
from ideas.budgeting.models import Ballot, Project


def voters_who_chose(project_ids: list[int]) -> set[int]:
    """Account ids of voters whose counted ballot includes any of the projects (two queries;
    ballots hold ``{project number: weight}`` as JSON, so the match is made here)."""
    wanted: dict[int, set[str]] = {}
    for budget_id, number in Project.objects.filter(pk__in=project_ids).values_list(
        "budget_id", "number"
    ):
        wanted.setdefault(budget_id, set()).add(str(number))
    if not wanted:
        return set()
    rows = Ballot.objects.filter(
        budget_id__in=wanted, is_counted=True, voter__user__isnull=False
    ).values_list("budget_id", "voter__user_id", "choices")
    return {
        user_id
        for budget_id, user_id, choices in rows
        if wanted[budget_id] & {str(key) for key in (choices or {})}
    }


def _agency(project: Project) -> int | None:
    return project.process.agency_id


def register() -> None:
    register_source(Project, participants=voters_who_chose, agency=_agency)  # type: ignore[arg-type]
