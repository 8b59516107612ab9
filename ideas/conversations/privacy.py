"""What conversations hold about a person (registered in ``ConversationsConfig.ready``).

Statements are public contributions made as a persona; votes are private and by account.
On account deletion the person's votes and their SMS conversation are erased (the map is
recomputed without them); their statements stay under the anonymised persona, like comments.
"""

from __future__ import annotations

from typing import Any

from ideas.conversations import opinion
from ideas.conversations.models import Statement, StatementVote, TextParticipant


def export_statements(user) -> list[dict[str, Any]]:
    statements = (
        Statement.objects.filter(persona__account=user)
        .select_related("persona", "conversation")
        .order_by("created_at", "id")
    )
    return [
        {
            "conversation": s.conversation.title,
            "number": s.number,
            "posted_as": s.persona.display_name,
            "persona": s.persona.slug,
            "text": s.text,
            "created_at": s.created_at.isoformat(),
            "url": s.get_absolute_url(),
        }
        for s in statements
    ]


def export_votes(user) -> list[dict[str, Any]]:
    votes = (
        StatementVote.objects.filter(account=user)
        .select_related("statement__conversation")
        .order_by("created_at", "id")
    )
    return [
        {
            "conversation": v.statement.conversation.title,
            "statement": v.statement.number,
            "text": v.statement.text,
            "vote": {1: "agree", -1: "disagree", 0: "pass"}[v.value],
            "voted_at": v.updated_at.isoformat(),
        }
        for v in votes
    ]


def erase(user) -> None:
    conversations = set(
        StatementVote.objects.filter(account=user).values_list(
            "statement__conversation_id", flat=True
        )
    )
    StatementVote.objects.filter(account=user).delete()
    TextParticipant.objects.filter(account=user).delete()
    for conversation_id in conversations:
        opinion.schedule(conversation_id)
