"""Sticky notes: add, edit, move (on the board or into a group), delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Persona
from community.moderation.actions import content_screen
from community.moderation.selectors import account_suspended
from community.participation.recorder import record_event
from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    active_participant,
    check_version,
    clean_note_text,
    clean_position,
    share_session,
    wrong_phase,
)
from ideas.codesign.conf import setting
from ideas.codesign.events import (
    NOTE_CREATED,
    NOTE_DELETED,
    NOTE_UPDATED,
    NOTES_MOVED,
    publish_note,
    publish_session_event,
)
from ideas.codesign.models import (
    CodesignSession,
    Colour,
    Note,
    NoteGroup,
    Participant,
    Phase,
    Prompt,
)
from ideas.insight import kinds as insight_kinds


def note_add(
    *,
    participant: Participant | None,
    session: CodesignSession,
    text: str,
    prompt: int | None = None,
    colour: str = Colour.YELLOW,
    x: int = 0,
    y: int = 0,
    idea: int | None = None,
) -> Note:
    """Add a sticky note (diverge phase). Screened like every contribution: a held note is
    seen by nobody until a moderator approves it (``note.screening.held``); otherwise
    publishes ``note.created`` (text concealed from others while the session hides notes)."""
    text = clean_note_text(text)
    if colour not in Colour.values:
        raise ValidationError({"colour": _("Choose one of the note colours.")})
    x, y = clean_position(x), clean_position(y)
    with transaction.atomic():
        row = share_session(session.pk)
        author = active_participant(participant, row.pk, lock=True, session=row)
        if row.phase not in permissions.NOTE_ADD_PHASES:
            raise wrong_phase(row)
        permissions.ensure_board_open(row, author)
        prompt_row = None
        if prompt is not None:
            prompt_row = Prompt.objects.filter(pk=prompt, session=row).first()
            if prompt_row is None:
                raise ValidationError({"prompt": _("Choose one of this board's prompts.")})
        if idea is not None and not row.seed_ideas.filter(pk=idea).exists():
            raise ValidationError({"idea": _("Choose one of the ideas in the brief.")})
        if author.notes.count() >= setting("NOTES_PER_PARTICIPANT"):
            raise ValidationError(_("You have added the most notes one person can add here."))
        note = Note.objects.create(
            session=row,
            author=author,
            prompt=prompt_row,
            idea_id=idea,
            text=text,
            colour=colour,
            x=x,
            y=y,
        )
        note.session = row
        note.screening = content_screen(user=author.account, obj=note, text=text)
        record_event(
            kind=insight_kinds.NOTE_ADDED,
            user=author.account,
            agency=row.agency_id,
            challenge_id=row.challenge_id,
            object_id=note.pk,
        )
        if not note.screening.held:
            publish_note(note, NOTE_CREATED)
    return note


def _fields(prefix: str, model: type[models.Model], names: tuple[str, ...] = ()) -> list[str]:
    """``only()`` paths: the named fields of ``model`` (all its columns if none are named)."""
    names = names or tuple(f.name for f in model._meta.concrete_fields)
    return [f"{prefix}{name}" for name in names]


@cache
def _note_for_change_fields() -> list[str]:
    """What an edit, move or delete reads: the note, its author, and of the session only what
    the checks and the event need (the whole session row was about 30 of the 84 columns a
    change compiled; docs/performance.md, co-design). The account stays whole: role checks
    read its flags."""
    return [
        *_fields("", Note),
        *_fields(
            "session__",
            CodesignSession,
            ("id", "agency", "challenge", "phase", "locked", "hide_notes", "revealed", "version"),
        ),
        *_fields("author__", Participant),
        *_fields("author__persona__", Persona, ("id", "display_name", "is_anonymised", "slug")),
        *_fields("author__account__", get_user_model()),
    ]


def _note_for_change(
    participant: Participant | None, note_id: int, version: int
) -> tuple[Note, Participant]:
    """The note, locked, if it is on the participant's own session (else DoesNotExist).

    People mostly change their own notes: then the note's author, read with the note, is the
    actor, and the action needs no query of its own for them.
    """
    if participant is None:
        raise ValidationError(_("Join the session first."), code="not_joined")
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related("session", "author__persona", "author__account")
        .only(*_note_for_change_fields())
        .annotate(account_suspended=account_suspended("author__account_id"))
        .get(pk=note_id, is_hidden=False, session_id=participant.session_id)
    )
    if note.author_id == participant.pk:
        note.author.session = note.session
        actor = permissions.ensure_participant_may_act(
            note.author, suspended=note.account_suspended
        )
    else:
        actor = active_participant(participant, note.session_id, session=note.session)
    check_version(note.version, version)
    permissions.ensure_board_open(note.session, actor)
    return note, actor


def note_edit(
    *,
    participant: Participant | None,
    note_id: int,
    version: int,
    text: str | None = None,
    colour: str | None = None,
) -> Note:
    """Change a note's text or colour: its author, or a facilitator (any note)."""
    cleaned = clean_note_text(text) if text is not None else None
    if colour is not None and colour not in Colour.values:
        raise ValidationError({"colour": _("Choose one of the note colours.")})
    with transaction.atomic():
        note, actor = _note_for_change(participant, note_id, version)
        permissions.ensure_may_change_note(actor, note, _("You can only change your own notes."))
        if note.session.phase not in permissions.NOTE_EDIT_PHASES:
            raise wrong_phase(note.session)
        fields = ["version"]
        if cleaned is not None and cleaned != note.text:
            note.text, note.edited_at = cleaned, timezone.now()
            fields += ["text", "edited_at"]
        if colour is not None:
            note.colour = colour
            fields.append("colour")
        note.version += 1
        note.save(update_fields=fields)
        if cleaned is not None:
            screening = content_screen(
                user=note.author.account if note.author_id == actor.pk else actor.account,
                obj=note,
                text=cleaned,
                edited=True,
            )
            if screening.held:
                return note
        publish_note(note, NOTE_UPDATED)
    return note


def note_move(
    *,
    participant: Participant | None,
    note_id: int,
    version: int,
    x: int | None = None,
    y: int | None = None,
    group: int | None = None,
    ungroup: bool = False,
) -> Note:
    """Move a note on the board and/or into a group (``ungroup`` takes it out).

    Anyone in the session may move any note while clustering (that is the exercise); during
    diverge only one's own notes (or any, for facilitators). Publishes ``note.updated``.
    """
    with transaction.atomic():
        note, actor = _note_for_change(participant, note_id, version)
        session = note.session
        if group is not None or ungroup:
            if session.phase not in permissions.GROUPING_PHASES:
                raise wrong_phase(session)
        elif session.phase not in permissions.NOTE_EDIT_PHASES:
            raise wrong_phase(session)
        if session.phase == Phase.DIVERGE:
            permissions.ensure_may_change_note(
                actor, note, _("You can only move your own notes while adding notes.")
            )
        fields = ["version"]
        if x is not None:
            note.x = clean_position(x)
            fields.append("x")
        if y is not None:
            note.y = clean_position(y)
            fields.append("y")
        if group is not None:
            target = NoteGroup.objects.filter(pk=group, session=session).first()
            if target is None:
                raise ValidationError({"group": _("Choose one of this board's groups.")})
            note.group = target
            fields.append("group")
        elif ungroup:
            note.group = None
            fields.append("group")
        if len(fields) == 1:
            raise ValidationError(_("Say where to move the note."))
        note.version += 1
        note.save(update_fields=fields)
        publish_note(note, NOTE_UPDATED)
    return note


def note_delete(*, participant: Participant | None, note_id: int, version: int) -> None:
    """Delete a note: its author, or a facilitator (any note). Publishes ``note.deleted``."""
    with transaction.atomic():
        note, actor = _note_for_change(participant, note_id, version)
        permissions.ensure_may_change_note(actor, note, _("You can only delete your own notes."))
        if note.session.phase not in permissions.NOTE_EDIT_PHASES:
            raise wrong_phase(note.session)
        session_id, pk = note.session_id, note.pk
        note.delete()
        publish_session_event(session_id, NOTE_DELETED, pk, {"id": pk})


@dataclass(frozen=True)
class Placement:
    """One participant's drag of one note to ``x``, ``y`` (a position-only ``note_move``)."""

    note: int
    participant: int
    x: int
    y: int


def notes_place(
    *, session_id: int, moves: Sequence[Placement]
) -> list[tuple[int, int, int | None] | Exception]:
    """Apply many drags at once: the latest allowed position of each note wins.

    The live board coalesces position-only moves (``ideas.codesign.moves``): moves that
    arrive within one flush interval are applied here in one transaction, in arrival order
    (``moves``), and published as one ``notes.moved`` event. A move is checked as
    :func:`note_move` checks it (the mover is in and not suspended, the phase lets notes
    move, only one's own notes while adding notes unless facilitating, the board not locked
    for them) but not against a version: the latest position wins. Each applied note's
    ``version`` grows by one, so clients keep the newest of two events as for every change.

    Returns, for each move in order, ``(note, version, group)`` once applied (moves of a note
    overtaken by a later one in the same batch name the version that later one made), or the
    refusal (``ValidationError``, ``PermissionDenied``, ``ObjectDoesNotExist``); refused moves
    change nothing.
    """
    results: list[tuple[int, int, int | None] | Exception] = [
        ObjectDoesNotExist(_("That no longer exists.")) for _move in moves
    ]
    with transaction.atomic():
        try:
            session = share_session(session_id)
        except CodesignSession.DoesNotExist:
            return results
        if session.phase not in permissions.NOTE_EDIT_PHASES:
            return [wrong_phase(session) for _move in moves]
        movers = {
            p.pk: p
            for p in Participant.objects.filter(
                session_id=session_id, pk__in={m.participant for m in moves}
            )
            .only("id", "session_id", "account_id", "removed_at")
            .annotate(account_suspended=account_suspended("account_id"))
        }
        notes = {
            n.pk: n
            for n in Note.objects.select_for_update(of=("self",))
            .filter(session_id=session_id, pk__in={m.note for m in moves}, is_hidden=False)
            .only("id", "session_id", "author_id", "group_id", "x", "y", "version")
            .order_by("pk")  # every flush locks in one order: two processes cannot deadlock
        }
        allowed: dict[int, Exception | None] = {}
        latest: dict[int, int] = {}  # note -> index of its last allowed move
        for index, move in enumerate(moves):
            note = notes.get(move.note)
            if note is None:
                continue
            mover = movers.get(move.participant)
            if move.participant not in allowed:
                allowed[move.participant] = _may_drag(mover, session)
            refusal = allowed[move.participant]
            if refusal is None and session.phase == Phase.DIVERGE:
                assert mover is not None, "allowed movers exist"
                try:
                    permissions.ensure_may_change_note(
                        mover, note, _("You can only move your own notes while adding notes.")
                    )
                except PermissionDenied as exc:
                    refusal = exc
            if refusal is not None:
                results[index] = refusal
                continue
            latest[move.note] = index
        changed = []
        for note_id, index in latest.items():
            note = notes[note_id]
            note.x, note.y = clean_position(moves[index].x), clean_position(moves[index].y)
            note.version += 1
            changed.append(note)
        if not changed:
            return results
        Note.objects.bulk_update(changed, ["x", "y", "version"])
        for index, move in enumerate(moves):
            note = notes.get(move.note)
            if (
                note is not None
                and move.note in latest
                and not isinstance(results[index], PermissionDenied | ValidationError)
            ):
                results[index] = (note.pk, note.version, note.group_id)
        publish_session_event(
            session_id,
            NOTES_MOVED,
            session_id,
            {
                "notes": [
                    {"id": n.pk, "x": n.x, "y": n.y, "version": n.version}
                    for n in sorted(changed, key=lambda n: n.pk)
                ]
            },
        )
    return results


def _may_drag(mover: Participant | None, session: CodesignSession) -> Exception | None:
    """Why ``mover`` may not drag notes on ``session`` now (None: they may)."""
    if mover is None:
        return ValidationError(_("Join the session first."), code="not_joined")
    mover.session = session
    try:
        suspended = mover.account_suspended  # type: ignore[attr-defined]  # annotated by the caller
        permissions.ensure_participant_may_act(mover, suspended=suspended)
        permissions.ensure_board_open(session, mover)
    except (PermissionDenied, ValidationError) as exc:
        return exc
    return None
