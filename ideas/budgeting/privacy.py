"""What participatory budgeting holds about a person (registered in ``BudgetingConfig.ready``).

Projects a person proposed are public contributions under a persona. Their voter record
(how they were verified, never the register fields: only a keyed hash exists) and their
ballots are private and exported to them alone. On account deletion the voter record is
unlinked from the account: the ballot still counts (the vote happened) but nothing ties it to
the person any more; the register holds no names to erase.
"""

from __future__ import annotations

from typing import Any

from ideas.budgeting.models import Ballot, Project, Voter


def export_projects(user: Any) -> list[dict[str, Any]]:
    projects = (
        Project.objects.filter(proposer__account=user)
        .select_related("proposer", "process", "budget")
        .order_by("created_at", "id")
    )
    return [
        {
            "process": p.process.title,
            "budget": p.budget.name,
            "number": p.number,
            "posted_as": p.proposer.display_name if p.proposer else "",
            "title": p.title,
            "description": p.description,
            "review": p.review_state,
            "created_at": p.created_at.isoformat(),
        }
        for p in projects
    ]


def export_ballots(user: Any) -> list[dict[str, Any]]:
    ballots = (
        Ballot.objects.filter(voter__user=user)
        .select_related("budget__process", "voter")
        .order_by("submitted_at", "id")
    )
    return [
        {
            "process": b.budget.process.title,
            "budget": b.budget.name,
            "verified_by": b.voter.verified_by,
            "channel": b.channel,
            "choices": b.choices,
            "counted": b.is_counted,
            "submitted_at": b.submitted_at.isoformat(),
        }
        for b in ballots
    ]


def erase(user: Any) -> None:
    Voter.objects.filter(user=user).update(user=None)
