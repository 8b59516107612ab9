"""The conversation side of the opinion engine (``ideas.opinion``).

A conversation is the opinion source of kind ``"conversation"``: its vote matrix is every
vote on its shown statements, keyed by account id (the engine keeps participant keys in
memory only; the stored map has none). Registered in ``ConversationsConfig.ready``.
"""

from __future__ import annotations

from django.db import transaction

KIND = "conversation"


def schedule(conversation_id: int) -> None:
    """Ask for the conversation's map to be recomputed once this transaction commits."""
    from ideas.opinion.services import schedule_recompute

    transaction.on_commit(lambda: schedule_recompute(KIND, conversation_id))
