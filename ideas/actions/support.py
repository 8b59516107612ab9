"""Supporting an idea and withdrawing support, with exact counts under concurrency.

The idea row is locked (``SELECT … FOR UPDATE``) before support changes, the ``Vote`` unique
constraint makes a second support by the same account impossible, and the count changes by
``F()`` in the same transaction as the row it counts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from community.models import Persona, User
from community.participation.recorder import record_event
from ideas import permissions
from ideas.actions.checks import acting_persona, current, lock_idea
from ideas.events import IDEA_VOTE_CHANGED, board_stream, vote_changed_data
from ideas.insight import kinds as insight_kinds
from ideas.models import Idea, Vote
from ideas.opinion.services import schedule_recompute_on_commit
from realtime.events import publish


def vote_cast(
    *,
    user: User,
    idea: Idea | int,
    persona: Persona | None = None,
    channel: str | None = None,
) -> int:
    """Support an idea (once per account). Returns the exact new count.

    ``channel`` ("web", "api", "sms", "assisted"; default: the surrounding
    ``recording_channel``) says how the support arrived, for insight.

    Raises ValidationError("You already support this idea.") on a second support — also when
    two tabs race: the database constraint decides. Publishes ``idea.vote_changed``.
    """
    with transaction.atomic():
        # check (on the locked row: the board may have closed meanwhile)
        locked = lock_idea(idea)
        reason = permissions.why_not_support(user, locked)
        if reason:
            raise PermissionDenied(reason)
        persona = acting_persona(user, persona, required=False)
        # do
        try:
            with transaction.atomic():
                Vote.objects.create(idea=locked, account=user, persona=persona)
        except IntegrityError:
            raise ValidationError(_("You already support this idea.")) from None
        Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
        (count,) = current(locked.pk, "support_count")
        schedule_recompute_on_commit("board", locked.challenge_id)  # the opinion map
        record_event(
            kind=insight_kinds.IDEA_SUPPORTED,
            user=user,
            agency=locked.challenge.agency_id,
            challenge_id=locked.challenge_id,
            object_id=locked.pk,
            channel=channel,
        )
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_VOTE_CHANGED,
            object_id=locked.pk,
            data=vote_changed_data(count),
        )
    if isinstance(idea, Idea):
        idea.support_count = count
    return count


def vote_withdraw(*, user: User, idea: Idea | int) -> int:
    """Withdraw support. Returns the exact new count; publishes ``idea.vote_changed``."""
    with transaction.atomic():
        # check
        locked = lock_idea(idea)
        reason = permissions.why_not_comment(user, locked)  # same rule: until it closes
        if reason:
            raise PermissionDenied(reason)
        # do
        deleted, _ignored = Vote.objects.filter(idea=locked, account=user).delete()
        if not deleted:
            raise ValidationError(_("You are not supporting this idea."))
        Idea.objects.filter(pk=locked.pk).update(support_count=F("support_count") - 1)
        (count,) = current(locked.pk, "support_count")
        schedule_recompute_on_commit("board", locked.challenge_id)  # the opinion map
        publish(
            stream=board_stream(locked.challenge_id),
            type=IDEA_VOTE_CHANGED,
            object_id=locked.pk,
            data=vote_changed_data(count),
        )
    if isinstance(idea, Idea):
        idea.support_count = count
    return count
