"""Votes (agree / disagree / pass) and joining a conversation by text."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from ideas.conversations import opinion, permissions
from ideas.conversations.models import (
    Choice,
    Conversation,
    Statement,
    StatementVote,
    TextParticipant,
)

CHOICE_WORDS = {"agree": Choice.AGREE, "disagree": Choice.DISAGREE, "pass": Choice.PASS}


def clean_choice(value: object) -> int:
    """``agree``/``disagree``/``pass`` or 1/-1/0 → the stored value; anything else refused."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in CHOICE_WORDS:
            return int(CHOICE_WORDS[word])
        try:
            value = int(word)
        except ValueError:
            value = None
    if isinstance(value, int) and not isinstance(value, bool) and value in (-1, 0, 1):
        return value
    raise ValidationError({"choice": _("Choose agree, disagree or pass.")})


def vote_cast(*, user: User, statement: Statement, choice: object) -> StatementVote:
    """Record ``user``'s vote on ``statement``; a second vote replaces the first (last wins).

    One row per account and statement, written as a single ``INSERT … ON CONFLICT DO
    UPDATE``, so two votes at once (two tabs, web and SMS) leave one row. Hidden statements
    and closed conversations refuse. Schedules the conversation's map after commit.
    """
    conversation = statement.conversation
    reason = permissions.why_not_vote(user, conversation)
    if reason:
        raise PermissionDenied(reason)
    if statement.is_hidden:
        raise ValidationError(_("This statement is not shown, so it cannot be voted on."))
    value = clean_choice(choice)
    now = timezone.now()
    with transaction.atomic():
        StatementVote.objects.bulk_create(
            [
                StatementVote(
                    statement=statement, account=user, value=value, created_at=now, updated_at=now
                )
            ],
            update_conflicts=True,
            unique_fields=["statement", "account"],
            update_fields=["value", "updated_at"],
        )
        opinion.schedule(conversation.pk)
    return StatementVote.objects.get(statement=statement, account=user)


def text_join(*, user: User, conversation: Conversation) -> TextParticipant:
    """Make ``conversation`` the one ``user``'s texts vote in (the last joined wins)."""
    reason = permissions.why_not_vote(user, conversation)
    if reason:
        raise PermissionDenied(reason)
    with transaction.atomic():
        joined, _created = TextParticipant.objects.update_or_create(
            account=user, defaults={"conversation": conversation, "joined_at": timezone.now()}
        )
    return joined
