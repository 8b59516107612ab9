"""The conversation side of the opinion engine (``ideas.opinion``).

A conversation is the opinion source of kind ``"conversation"``: its vote matrix is every
vote on its shown statements, keyed by account id (the engine keeps participant keys in
memory only; the stored map has none). Registered in ``ConversationsConfig.ready``; the map
is recomputed off the request path after each vote (:func:`schedule`) and pages read only
the stored result.
"""

from __future__ import annotations

from ideas.opinion.engine import OpinionResult, VoteMatrix, compute

KIND = "conversation"


def schedule(conversation_id: int) -> None:
    """Ask for the conversation's map to be recomputed once this transaction commits
    (debounced, in the background: ``ideas.opinion.services``)."""
    from ideas.opinion.services import schedule_recompute_on_commit

    schedule_recompute_on_commit(KIND, conversation_id)


def load(conversation_id: int) -> VoteMatrix:
    from ideas.conversations.selectors import vote_rows

    return VoteMatrix.from_votes(vote_rows(conversation_id))


def stored_result(conversation_id: int) -> OpinionResult | None:
    """The last computed map (None before the first computation)."""
    from ideas.opinion.models import OpinionMap
    from ideas.opinion.selectors import stored_map

    stored = stored_map(KIND, conversation_id)
    if stored is None or stored.status != OpinionMap.Status.READY or not stored.result:
        return None
    return OpinionResult.from_json(stored.result)


def consensus_ids(conversation_id: int) -> set[int]:
    result = stored_result(conversation_id)
    if result is None or not result.enough:
        return set()
    return {ranked.statement for ranked in result.consensus}


def groups_for(votes: list[tuple[int, int, int]]) -> dict[int, int]:
    """Participant key → opinion group, computed now (for the export, which numbers the
    participants itself; the stored map holds no participant keys)."""
    if not votes:
        return {}
    result = compute(VoteMatrix.from_votes(votes))
    return dict(result.assignment) if result.enough else {}


def _may_view(user, conversation_id: int) -> bool:
    from ideas.conversations import permissions
    from ideas.conversations.models import Conversation

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    return conversation is not None and permissions.can_view_conversation(user, conversation)


def _url(conversation_id: int) -> str:
    from django.urls import reverse

    return reverse("conversations:report", args=[conversation_id])


def register() -> None:
    from ideas.conversations.selectors import statement_labels
    from ideas.opinion.sources import register_source

    register_source(
        KIND, load=load, may_view=_may_view, statement_labels=statement_labels, url=_url
    )
