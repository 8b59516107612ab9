"""The session timer: start (or resume), pause, extend."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    bump,
    check_version,
    lock_session,
    wrong_phase,
)
from ideas.codesign.conf import setting
from ideas.codesign.events import publish_session_changed
from ideas.codesign.models import CodesignSession


def _clean_seconds(seconds: int) -> int:
    limit = setting("TIMER_MAX_SECONDS")
    if not isinstance(seconds, int) or not 1 <= seconds <= limit:
        raise ValidationError(
            {"seconds": _("Set the timer between 1 second and %(n)d minutes.") % {"n": limit // 60}}
        )
    return seconds


def timer_start(
    *, user: User, session: CodesignSession, seconds: int | None, version: int
) -> CodesignSession:
    """Start a countdown of ``seconds``, or resume a paused one (``seconds`` None)."""
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        row = lock_session(session.pk)
        check_version(row.version, version)
        if row.phase not in permissions.TIMER_PHASES:
            raise wrong_phase(row)
        if seconds is None:
            if row.timer_remaining is None:
                raise ValidationError({"seconds": _("Say how long the timer should run.")})
            seconds = row.timer_remaining
        seconds = _clean_seconds(seconds)
        row.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
        row.timer_remaining = None
        bump(row, ["timer_ends_at", "timer_remaining"])
        publish_session_changed(row, "timer")
    return row


def timer_pause(*, user: User, session: CodesignSession, version: int) -> CodesignSession:
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        row = lock_session(session.pk)
        check_version(row.version, version)
        if row.timer_ends_at is None:
            raise ValidationError(_("The timer is not running."))
        left = max(0, int((row.timer_ends_at - timezone.now()).total_seconds()))
        row.timer_ends_at, row.timer_remaining = None, left
        bump(row, ["timer_ends_at", "timer_remaining"])
        publish_session_changed(row, "timer")
    return row


def timer_extend(
    *, user: User, session: CodesignSession, seconds: int, version: int
) -> CodesignSession:
    """Add ``seconds`` to a running or paused timer."""
    permissions.require_facilitator(user, session)
    seconds = _clean_seconds(seconds)
    with transaction.atomic():
        row = lock_session(session.pk)
        check_version(row.version, version)
        if row.timer_ends_at is not None:
            left = (row.timer_ends_at - timezone.now()).total_seconds()
            if left + seconds > setting("TIMER_MAX_SECONDS"):
                raise ValidationError({"seconds": _("That would make the timer too long.")})
            row.timer_ends_at = max(row.timer_ends_at, timezone.now()) + timedelta(seconds=seconds)
        elif row.timer_remaining is not None:
            row.timer_remaining = _clean_seconds(row.timer_remaining + seconds)
        else:
            raise ValidationError(_("Start the timer first."))
        bump(row, ["timer_ends_at", "timer_remaining"])
        publish_session_changed(row, "timer")
    return row
