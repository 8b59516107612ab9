"""Statements as backlog sources (registered in ``ConversationsConfig.ready``).

When a statement is promoted, and whenever its backlog item later changes publicly, everyone
who **agreed** with it hears back (a vote is never public; the notification goes only to the
voter). Disagreeing or passing is not asking to hear back.
"""

from __future__ import annotations

from ideas.backlog.sources import register_source
from ideas.conversations.models import Choice, Statement, StatementVote


def agreed(statement_ids: list[int]) -> set[int]:
    """Account ids that agree with any of the statements (one query)."""
    return set(
        StatementVote.objects.filter(
            statement_id__in=statement_ids, value=Choice.AGREE
        ).values_list("account_id", flat=True)
    )


def register() -> None:
    register_source(
        Statement,
        participants=agreed,
        agency=lambda statement: statement.conversation.agency_id,
    )
