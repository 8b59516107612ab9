"""What every co-design action checks first: locks, versions, the actor, clean input.

Nothing here writes (``bump`` aside, which the *do* half of session-level actions calls).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from community.moderation.selectors import account_suspended
from community.text import looks_like_html, plain_text
from ideas.codesign import permissions
from ideas.codesign.models import (
    BOARD_SIZE,
    NOTE_MAX,
    CodesignSession,
    Participant,
)


def stale() -> ValidationError:
    return ValidationError(
        _("Someone changed this a moment ago. The board has been refreshed; try again."),
        code="stale",
    )


def wrong_phase(session: CodesignSession) -> ValidationError:
    return ValidationError(
        _("You cannot do that while the session is in “%(phase)s”.")
        % {"phase": session.phase_label},
        code="wrong_phase",
    )


def lock_session(session_id: int) -> CodesignSession:
    return CodesignSession.objects.select_for_update().get(pk=session_id)


def share_session(session_id: int) -> CodesignSession:
    """The session row under a shared lock (``FOR SHARE``), for writes that only depend on it.

    Adding notes checks the phase and the board lock, so a phase change or a board lock
    (which take the row ``FOR UPDATE``) must not pass an add in flight; but adds by different
    people need not wait for each other, as they would behind ``FOR UPDATE`` (measured: half of
    every action thread's time in the co-design benchmark). Django has no ``FOR SHARE``; the
    row is read with it directly. Databases without row locks (SQLite) serialise writes anyway.
    """
    if not connection.features.has_select_for_update:
        return CodesignSession.objects.get(pk=session_id)
    table = connection.ops.quote_name(CodesignSession._meta.db_table)
    pk_column = CodesignSession._meta.pk.column
    assert pk_column is not None, "a concrete model's primary key has a column"
    column = connection.ops.quote_name(pk_column)
    rows = list(
        CodesignSession.objects.raw(
            f"SELECT * FROM {table} WHERE {column} = %s FOR SHARE",  # noqa: S608 -- quoted names
            [session_id],
        )
    )
    if not rows:
        raise CodesignSession.DoesNotExist
    return rows[0]


def check_version(current: int, given: int) -> None:
    if current != given:
        raise stale()


def active_participant(
    participant: Participant | None,
    session_id: int,
    *,
    lock: bool = False,
    session: CodesignSession | None = None,
) -> Participant:
    """The participant, re-read (and locked if asked); refuses people not (or no longer) in.

    ``session``: the session row the caller already holds, used instead of reading it again.
    One query: whether the account is suspended comes with the row.
    """
    if participant is None or participant.session_id != session_id:
        raise ValidationError(_("Join the session first."), code="not_joined")
    related = ("account", "persona") if session is not None else ("account", "persona", "session")
    qs = Participant.objects.select_related(*related).annotate(
        account_suspended=account_suspended("account_id")
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    fresh = qs.get(pk=participant.pk)
    if session is not None:
        fresh.session = session
    return permissions.ensure_participant_may_act(fresh, suspended=fresh.account_suspended)


def clean_note_text(text: str) -> str:
    raw = " ".join((text or "").split())
    if not raw:
        raise ValidationError({"text": _("Write something on the note first.")})
    if looks_like_html(raw):
        raise ValidationError({"text": _("Notes are plain text: remove the HTML.")})
    cleaned = plain_text(raw)
    if not cleaned:
        raise ValidationError({"text": _("Write something on the note first.")})
    if len(cleaned) > NOTE_MAX:
        raise ValidationError(
            {
                "text": _("Keep notes under %(n)d characters (this one has %(len)d).")
                % {"n": NOTE_MAX, "len": len(cleaned)}
            }
        )
    return cleaned


def clean_line(value: str, field: str, limit: int, empty: str) -> str:
    raw = " ".join((value or "").split())
    if not raw:
        raise ValidationError({field: empty})
    if looks_like_html(raw):
        raise ValidationError({field: _("Use plain text: remove the HTML.")})
    cleaned = plain_text(raw)
    if len(cleaned) > limit:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": limit}})
    return cleaned


def clean_position(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= BOARD_SIZE:
        raise ValidationError(
            {"x": _("Positions must be between 0 and %(n)d.") % {"n": BOARD_SIZE}}
        )
    return value


def bump(session: CodesignSession, fields: list[str]) -> None:
    session.version = F("version") + 1
    session.save(update_fields=[*fields, "version"])
    session.refresh_from_db()
