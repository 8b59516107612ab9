"""Outcomes as backlog sources (registered in ``CodesignConfig.ready``).

When a backlog item promoted from an outcome changes publicly, everyone who took part in the
outcome's session with an account hears back (guests have no account to tell; removed
participants are left out).
"""

from __future__ import annotations

from ideas.backlog.sources import register_source
from ideas.codesign.models import Outcome, Participant


def session_participants(outcome_ids: list[int]) -> set[int]:
    """Account ids of the active participants of the outcomes' sessions (one query)."""
    return set(
        Participant.objects.filter(
            session__outcomes__pk__in=outcome_ids,
            account__isnull=False,
            removed_at__isnull=True,
        ).values_list("account_id", flat=True)
    )


def register() -> None:
    register_source(
        Outcome,
        participants=session_participants,
        agency=lambda outcome: outcome.session.agency_id,
    )
