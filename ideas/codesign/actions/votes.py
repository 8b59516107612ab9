"""Dot votes: cast one on a group, take one back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    active_participant,
    wrong_phase,
)
from ideas.codesign.events import publish_votes
from ideas.codesign.models import (
    CodesignSession,
    Dot,
    NoteGroup,
    Participant,
)


def _vote_result(
    participant: Participant, session: CodesignSession, group_id: int
) -> dict[str, int]:
    used = Dot.objects.filter(participant=participant).count()
    return {
        "group": group_id,
        "votes": Dot.objects.filter(group_id=group_id).count(),
        "mine": Dot.objects.filter(participant=participant, group_id=group_id).count(),
        "left": session.vote_budget - used,
    }


def dot_cast(
    *, participant: Participant | None, session: CodesignSession, group_id: int
) -> dict[str, int]:
    """Put one of the participant's dots on a group (vote phase).

    Refused with ``over_budget`` past the session's budget or the per-group cap. The
    participant row is locked, so parallel votes from several tabs cannot overspend.
    Publishes ``votes.changed``; returns the group total, the participant's dots on it and
    the dots left.
    """
    with transaction.atomic():
        voter = active_participant(participant, session.pk, lock=True)
        row = CodesignSession.objects.get(pk=session.pk)
        if row.phase not in permissions.VOTE_PHASES:
            raise wrong_phase(row)
        permissions.ensure_board_open(row, voter)
        group = NoteGroup.objects.filter(pk=group_id, session=row).first()
        if group is None:
            raise ValidationError({"group": _("Choose one of this board's groups.")})
        used = Dot.objects.filter(participant=voter).count()
        if used >= row.vote_budget:
            raise ValidationError(
                _("You have used all %(n)d of your votes. Take one back to vote again.")
                % {"n": row.vote_budget},
                code="over_budget",
            )
        on_group = Dot.objects.filter(participant=voter, group=group).count()
        if on_group >= row.group_cap:
            raise ValidationError(
                _("You can put at most %(n)d votes on one group. Choose another group.")
                % {"n": row.group_cap},
                code="over_budget",
            )
        Dot.objects.create(session=row, participant=voter, group=group)
        publish_votes(row.pk, [group.pk])
        return _vote_result(voter, row, group.pk)


def dot_withdraw(
    *, participant: Participant | None, session: CodesignSession, group_id: int
) -> dict[str, int]:
    """Take one of the participant's dots back from a group (vote phase)."""
    with transaction.atomic():
        voter = active_participant(participant, session.pk, lock=True)
        row = CodesignSession.objects.get(pk=session.pk)
        if row.phase not in permissions.VOTE_PHASES:
            raise wrong_phase(row)
        permissions.ensure_board_open(row, voter)
        dot = Dot.objects.filter(participant=voter, group_id=group_id, session=row).first()
        if dot is None:
            raise ValidationError({"group": _("You have no vote on that group to take back.")})
        dot.delete()
        publish_votes(row.pk, [group_id])
        return _vote_result(voter, row, group_id)
