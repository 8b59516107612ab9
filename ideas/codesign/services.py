"""Every write on co-design sessions. Views, the session consumer and the demo call these.

Each function is keyword-only, asks :mod:`ideas.codesign.permissions`, validates
(``ValidationError``; nothing is written), writes inside ``transaction.atomic`` with the rows
it checks locked (``select_for_update``), and publishes its event on the session stream after
commit.

**Versions.** Session-level changes (phase, lock, reveal, timer) name the session ``version``
they were made on; note and group changes name that note's or group's ``version``. A stale
version raises ``ValidationError(code="stale")`` and changes nothing: the client is behind and
needs a snapshot. Error codes the consumer passes on: ``stale``, ``wrong_phase``, ``locked``,
``over_budget``, ``not_joined`` (all ``ValidationError`` codes); role problems are
``PermissionDenied``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, Persona, User
from community.moderation.actions import content_screen
from community.moderation.selectors import account_suspended
from community.participation.recorder import record_event
from community.permissions import can_act_as, ensure_may_contribute
from community.text import looks_like_html, plain_text
from ideas.backlog import services as backlog_services
from ideas.backlog.models import BacklogItem
from ideas.codesign import permissions
from ideas.codesign.conf import setting
from ideas.codesign.events import (
    GROUP_CREATED,
    GROUP_DELETED,
    GROUP_UPDATED,
    NOTE_CREATED,
    NOTE_DELETED,
    NOTE_UPDATED,
    NOTES_REVEALED,
    OUTCOME_CREATED,
    OUTCOME_PROMOTED,
    PARTICIPANT_JOINED,
    PARTICIPANT_REMOVED,
    SESSION_UPDATED,
    VOTES_CHANGED,
    group_card,
    note_card,
    outcome_card,
    participant_card,
    publish_note,
    session_state,
    session_stream,
)
from ideas.codesign.models import (
    BOARD_SIZE,
    GOAL_MAX,
    GROUP_NAME_MAX,
    GUEST_NAME_MAX,
    NOTE_MAX,
    PHASES,
    TITLE_MAX,
    CodesignSession,
    Colour,
    Dot,
    Note,
    NoteGroup,
    Outcome,
    Participant,
    Phase,
    PhaseChange,
    Prompt,
    Visibility,
)
from ideas.insight import kinds as insight_kinds
from ideas.models import Idea
from realtime.events import publish

# Which phases allow which participant actions.
NOTE_ADD_PHASES = frozenset({Phase.DIVERGE})
NOTE_EDIT_PHASES = frozenset({Phase.DIVERGE, Phase.CLUSTER})
GROUPING_PHASES = frozenset({Phase.CLUSTER})
VOTE_PHASES = frozenset({Phase.VOTE})
OUTCOME_PHASES = frozenset({Phase.DECIDE})
TIMER_PHASES = frozenset({Phase.BRIEF, Phase.DIVERGE, Phase.CLUSTER, Phase.VOTE, Phase.DECIDE})


# -- helpers --------------------------------------------------------------------------------


def _publish(session_id: int, type_: str, object_id: int | None, data: dict[str, Any]) -> None:
    publish(stream=session_stream(session_id), type=type_, object_id=object_id, data=data)


def _stale() -> ValidationError:
    return ValidationError(
        _("Someone changed this a moment ago. The board has been refreshed; try again."),
        code="stale",
    )


def _wrong_phase(session: CodesignSession) -> ValidationError:
    return ValidationError(
        _("You cannot do that while the session is in “%(phase)s”.")
        % {"phase": session.phase_label},
        code="wrong_phase",
    )


def _lock_session(session_id: int) -> CodesignSession:
    return CodesignSession.objects.select_for_update().get(pk=session_id)


def _share_session(session_id: int) -> CodesignSession:
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
    column = connection.ops.quote_name(CodesignSession._meta.pk.column)
    rows = list(
        CodesignSession.objects.raw(
            f"SELECT * FROM {table} WHERE {column} = %s FOR SHARE",  # noqa: S608 -- quoted names
            [session_id],
        )
    )
    if not rows:
        raise CodesignSession.DoesNotExist
    return rows[0]


def _check_version(current: int, given: int) -> None:
    if current != given:
        raise _stale()


def _require_facilitator(user: User | None, session: CodesignSession) -> None:
    if user is None or not permissions.can_facilitate(user, session):
        raise PermissionDenied(_("Only the session's facilitators can do that."))


def _active(
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
    return _may_act(fresh)


def _may_act(participant: Participant) -> Participant:
    """``participant`` (read with ``account_suspended``) if they may still act in the session."""
    if participant.removed_at is not None:
        raise PermissionDenied(_("A facilitator removed you from this session."))
    if participant.account_id is not None and participant.account_suspended:
        ensure_may_contribute(participant.account)  # raises, saying until when
    return participant


def _check_board_open(session: CodesignSession, participant: Participant) -> None:
    if session.locked and not permissions.participant_facilitates(participant):
        raise ValidationError(
            _("The facilitator has locked the board. Wait until they unlock it."), code="locked"
        )


def _clean_note_text(text: str) -> str:
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


def _clean_line(value: str, field: str, limit: int, empty: str) -> str:
    raw = " ".join((value or "").split())
    if not raw:
        raise ValidationError({field: empty})
    if looks_like_html(raw):
        raise ValidationError({field: _("Use plain text: remove the HTML.")})
    cleaned = plain_text(raw)
    if len(cleaned) > limit:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": limit}})
    return cleaned


def _clean_position(value: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= BOARD_SIZE:
        raise ValidationError(
            {"x": _("Positions must be between 0 and %(n)d.") % {"n": BOARD_SIZE}}
        )
    return value


def _bump(session: CodesignSession, fields: list[str]) -> None:
    session.version = F("version") + 1
    session.save(update_fields=[*fields, "version"])
    session.refresh_from_db()


def _session_changed(session: CodesignSession, change: str) -> None:
    _publish(session.pk, SESSION_UPDATED, session.pk, {**session_state(session), "change": change})


def _note_event(note: Note, type_: str) -> None:
    publish_note(note, type_)


# -- sessions --------------------------------------------------------------------------------


def session_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    goal: str,
    scheduled_at: datetime,
    prompts: Iterable[str] = (),
    challenge=None,
    service_page=None,
    visibility: str = Visibility.OPEN,
    allow_guests: bool = False,
    hide_notes: bool = False,
    vote_budget: int = 5,
    group_cap: int = 3,
    seed_ideas: Iterable[Idea] = (),
) -> CodesignSession:
    """Schedule a session for ``agency`` (its service designers only).

    ``prompts`` are the board's columns (at least one; blank lines ignored). ``seed_ideas``
    must come from ``challenge`` and are shown in the brief.
    """
    if not permissions.can_create_session(user, agency):
        raise PermissionDenied(_("Only the agency's service designers can run sessions."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned["title"] = _clean_line(title, "title", TITLE_MAX, _("Give the session a title."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    goal = (goal or "").strip()
    if not goal:
        errors["goal"] = [_("Say what the session should achieve.")]
    elif len(goal) > GOAL_MAX:
        errors["goal"] = [_("Keep the goal under %(n)d characters.") % {"n": GOAL_MAX}]
    elif looks_like_html(goal):
        errors["goal"] = [_("Use plain text: remove the HTML.")]
    prompt_texts = [" ".join(p.split()) for p in prompts if p and p.strip()]
    if not prompt_texts:
        errors["prompts"] = [_("Add at least one prompt, for example “What gets in the way?”.")]
    elif len(prompt_texts) > 8 or any(len(p) > 120 for p in prompt_texts):
        errors["prompts"] = [_("Use at most 8 prompts of up to 120 characters each.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose who may join.")]
    if not 1 <= int(vote_budget) <= 20:
        errors["vote_budget"] = [_("Give each person between 1 and 20 votes.")]
    if not 1 <= int(group_cap) <= int(vote_budget or 1):
        errors["group_cap"] = [_("The most votes on one group must be between 1 and the budget.")]
    if challenge is not None and challenge.agency_id != agency.pk:
        errors["challenge"] = [_("Choose one of this agency's challenges.")]
    seed_ideas = list(seed_ideas)
    if seed_ideas and (
        challenge is None or any(i.challenge_id != challenge.pk for i in seed_ideas)
    ):
        errors["seed_ideas"] = [_("Ideas in the brief must come from the session's challenge.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = CodesignSession.objects.create(
            agency=agency,
            challenge=challenge,
            service_page=service_page,
            goal=plain_text(goal),
            scheduled_at=scheduled_at,
            visibility=visibility,
            allow_guests=bool(allow_guests),
            hide_notes=bool(hide_notes),
            vote_budget=int(vote_budget),
            group_cap=int(group_cap),
            created_by=user,
            **cleaned,
        )
        Prompt.objects.bulk_create(
            Prompt(session=session, text=plain_text(text), position=i)
            for i, text in enumerate(prompt_texts)
        )
        session.seed_ideas.set(seed_ideas)
        PhaseChange.objects.create(session=session, phase=Phase.LOBBY)
    return session


def participant_join(
    *,
    user: User | None,
    session: CodesignSession,
    persona: Persona | None = None,
    guest_name: str = "",
    has_code: bool = False,
) -> Participant:
    """Join as one of the account's personas, or (``user`` None) as a named guest.

    Joining twice returns the same participant (the persona may change while the session is in
    the lobby or brief). Removed participants cannot come back. A guest gets a fresh random
    ``guest_key`` the caller keeps in the browser's signed session (see ``guests.py``).
    Publishes ``participant.joined``.
    """
    if session.is_finished:
        raise ValidationError(_("This session has ended; read its summary instead."))
    if user is not None and getattr(user, "is_authenticated", False):
        if not permissions.can_join(user, session, has_code=has_code):
            raise PermissionDenied(_("This session is by invitation: use the link you were sent."))
        ensure_may_contribute(user)
        if persona is None or not can_act_as(user, persona):
            raise ValidationError({"persona": _("Choose one of your own personas.")})
        with transaction.atomic():
            existing = (
                Participant.objects.select_for_update()
                .filter(session=session, account=user)
                .first()
            )
            if existing is not None:
                if existing.removed_at is not None:
                    raise PermissionDenied(_("A facilitator removed you from this session."))
                if existing.persona_id != persona.pk:
                    existing.persona = persona
                    existing.save(update_fields=["persona"])
                    _publish(
                        session.pk, PARTICIPANT_JOINED, existing.pk, participant_card(existing)
                    )
                return existing
            try:
                with transaction.atomic():
                    participant = Participant.objects.create(
                        session=session, account=user, persona=persona
                    )
            except IntegrityError:  # the same account joining from two tabs at once
                return Participant.objects.get(session=session, account=user)
            _record_joined(session, participant, user)
            _publish(session.pk, PARTICIPANT_JOINED, participant.pk, participant_card(participant))
            return participant
    if not permissions.can_join_as_guest(session, has_code=has_code):
        raise PermissionDenied(_("This session does not take guests. Sign in to join."))
    name = _clean_line(
        guest_name, "guest_name", GUEST_NAME_MAX, _("Tell us the name to show on your notes.")
    )
    with transaction.atomic():
        participant = Participant.objects.create(
            session=session, guest_name=name, guest_key=secrets.token_urlsafe(24)
        )
        _record_joined(session, participant, None)
        _publish(session.pk, PARTICIPANT_JOINED, participant.pk, participant_card(participant))
    return participant


def _record_joined(session: CodesignSession, participant: Participant, user: User | None) -> None:
    record_event(
        kind=insight_kinds.SESSION_JOINED,
        user=user,
        agency=session.agency_id,
        challenge_id=session.challenge_id,
        object_id=session.pk,
    )


def participant_remove(*, user: User, session: CodesignSession, participant_id: int) -> Participant:
    """Remove someone (facilitators only; not another facilitator). Their notes stay;
    their votes are withdrawn. Publishes ``participant.removed`` and the new vote totals."""
    _require_facilitator(user, session)
    with transaction.atomic():
        target = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("account", "persona", "session")
            .get(pk=participant_id, session=session)
        )
        if target.removed_at is not None:
            raise ValidationError(_("That person has already been removed."))
        if permissions.participant_facilitates(target):
            raise PermissionDenied(_("Facilitators cannot remove each other."))
        target.removed_at = timezone.now()
        target.save(update_fields=["removed_at"])
        touched = list(target.dots.values_list("group_id", flat=True).distinct())
        target.dots.all().delete()
        _publish(session.pk, PARTICIPANT_REMOVED, target.pk, {"id": target.pk, "name": target.name})
        _publish_votes(session.pk, touched)
    return target


def phase_set(*, user: User, session: CodesignSession, phase: str, version: int) -> CodesignSession:
    """Move the session to ``phase`` (forwards or backwards, one step or several).

    Entering *cluster* or later reveals hidden notes; entering *summary* ends the session
    (stops the timer). Leaving the summary is refused. Publishes ``session.updated`` and, on an
    automatic reveal, ``notes.revealed``.
    """
    _require_facilitator(user, session)
    if phase not in PHASES:
        raise ValidationError({"phase": _("Choose one of the listed phases.")})
    with transaction.atomic():
        locked = _lock_session(session.pk)
        _check_version(locked.version, version)
        if locked.phase == phase:
            raise ValidationError(_("The session is already in that phase."))
        if locked.phase == Phase.SUMMARY:
            raise ValidationError(_("This session has ended; it cannot be reopened."))
        fields = ["phase"]
        locked.phase = phase
        now = timezone.now()
        if locked.started_at is None and phase != Phase.LOBBY:
            locked.started_at = now
            fields.append("started_at")
        reveal = (
            locked.hide_notes
            and not locked.revealed
            and PHASES.index(phase) >= PHASES.index(Phase.CLUSTER)
        )
        if reveal:
            locked.revealed = True
            fields.append("revealed")
        if phase == Phase.SUMMARY:
            locked.ended_at = now
            locked.timer_ends_at, locked.timer_remaining = None, None
            locked.locked = True
            fields += ["ended_at", "timer_ends_at", "timer_remaining", "locked"]
        _bump(locked, fields)
        PhaseChange.objects.create(session=locked, phase=phase, at=now)
        _session_changed(locked, "phase")
        if reveal:
            _publish_reveal(locked)
    return locked


def phase_step(
    *, user: User, session: CodesignSession, direction: str, version: int
) -> CodesignSession:
    """Advance (``next``) or go back (``back``) one phase."""
    index = PHASES.index(session.phase) + (1 if direction == "next" else -1)
    if not 0 <= index < len(PHASES):
        raise ValidationError(_("There is no phase that way."))
    return phase_set(user=user, session=session, phase=PHASES[index], version=version)


def board_lock(
    *, user: User, session: CodesignSession, locked: bool, version: int
) -> CodesignSession:
    """Lock (participants can only watch) or unlock the board."""
    _require_facilitator(user, session)
    with transaction.atomic():
        row = _lock_session(session.pk)
        _check_version(row.version, version)
        if row.is_finished:
            raise _wrong_phase(row)
        row.locked = bool(locked)
        _bump(row, ["locked"])
        _session_changed(row, "lock")
    return row


def _publish_reveal(session: CodesignSession) -> None:
    notes = Note.objects.filter(session=session, is_hidden=False).select_related("author__persona")
    _publish(
        session.pk,
        NOTES_REVEALED,
        session.pk,
        {"notes": [note_card(n, conceal=False) for n in notes]},
    )


def notes_reveal(*, user: User, session: CodesignSession, version: int) -> CodesignSession:
    """Show every note's text to everyone. Publishes ``session.updated`` and ``notes.revealed``."""
    _require_facilitator(user, session)
    with transaction.atomic():
        row = _lock_session(session.pk)
        _check_version(row.version, version)
        if not row.hide_notes or row.revealed:
            raise ValidationError(_("Every note is already visible."))
        row.revealed = True
        _bump(row, ["revealed"])
        _session_changed(row, "reveal")
        _publish_reveal(row)
    return row


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
    _require_facilitator(user, session)
    with transaction.atomic():
        row = _lock_session(session.pk)
        _check_version(row.version, version)
        if row.phase not in TIMER_PHASES:
            raise _wrong_phase(row)
        if seconds is None:
            if row.timer_remaining is None:
                raise ValidationError({"seconds": _("Say how long the timer should run.")})
            seconds = row.timer_remaining
        seconds = _clean_seconds(seconds)
        row.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
        row.timer_remaining = None
        _bump(row, ["timer_ends_at", "timer_remaining"])
        _session_changed(row, "timer")
    return row


def timer_pause(*, user: User, session: CodesignSession, version: int) -> CodesignSession:
    _require_facilitator(user, session)
    with transaction.atomic():
        row = _lock_session(session.pk)
        _check_version(row.version, version)
        if row.timer_ends_at is None:
            raise ValidationError(_("The timer is not running."))
        left = max(0, int((row.timer_ends_at - timezone.now()).total_seconds()))
        row.timer_ends_at, row.timer_remaining = None, left
        _bump(row, ["timer_ends_at", "timer_remaining"])
        _session_changed(row, "timer")
    return row


def timer_extend(
    *, user: User, session: CodesignSession, seconds: int, version: int
) -> CodesignSession:
    """Add ``seconds`` to a running or paused timer."""
    _require_facilitator(user, session)
    seconds = _clean_seconds(seconds)
    with transaction.atomic():
        row = _lock_session(session.pk)
        _check_version(row.version, version)
        if row.timer_ends_at is not None:
            left = (row.timer_ends_at - timezone.now()).total_seconds()
            if left + seconds > setting("TIMER_MAX_SECONDS"):
                raise ValidationError({"seconds": _("That would make the timer too long.")})
            row.timer_ends_at = max(row.timer_ends_at, timezone.now()) + timedelta(seconds=seconds)
        elif row.timer_remaining is not None:
            row.timer_remaining = _clean_seconds(row.timer_remaining + seconds)
        else:
            raise ValidationError(_("Start the timer first."))
        _bump(row, ["timer_ends_at", "timer_remaining"])
        _session_changed(row, "timer")
    return row


# -- notes ------------------------------------------------------------------------------------


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
    text = _clean_note_text(text)
    if colour not in Colour.values:
        raise ValidationError({"colour": _("Choose one of the note colours.")})
    x, y = _clean_position(x), _clean_position(y)
    with transaction.atomic():
        row = _share_session(session.pk)
        author = _active(participant, row.pk, lock=True, session=row)
        if row.phase not in NOTE_ADD_PHASES:
            raise _wrong_phase(row)
        _check_board_open(row, author)
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
            _note_event(note, NOTE_CREATED)
    return note


def _note_for_change(participant: Participant | None, note_id: int, version: int):
    """The note, locked, if it is on the participant's own session (else DoesNotExist).

    People mostly change their own notes: then the note's author, read with the note, is the
    actor, and the action needs no query of its own for them.
    """
    if participant is None:
        raise ValidationError(_("Join the session first."), code="not_joined")
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related("session", "author__persona", "author__account")
        .annotate(account_suspended=account_suspended("author__account_id"))
        .get(pk=note_id, is_hidden=False, session_id=participant.session_id)
    )
    if note.author_id == participant.pk:
        note.author.account_suspended = note.account_suspended
        note.author.session = note.session
        actor = _may_act(note.author)
    else:
        actor = _active(participant, note.session_id, session=note.session)
    _check_version(note.version, version)
    _check_board_open(note.session, actor)
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
    cleaned = _clean_note_text(text) if text is not None else None
    if colour is not None and colour not in Colour.values:
        raise ValidationError({"colour": _("Choose one of the note colours.")})
    with transaction.atomic():
        note, actor = _note_for_change(participant, note_id, version)
        facilitator = permissions.participant_facilitates(actor)
        if note.author_id != actor.pk and not facilitator:
            raise PermissionDenied(_("You can only change your own notes."))
        if note.session.phase not in NOTE_EDIT_PHASES:
            raise _wrong_phase(note.session)
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
        _note_event(note, NOTE_UPDATED)
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
            if session.phase not in GROUPING_PHASES:
                raise _wrong_phase(session)
        elif session.phase not in NOTE_EDIT_PHASES:
            raise _wrong_phase(session)
        if (
            session.phase == Phase.DIVERGE
            and note.author_id != actor.pk
            and not permissions.participant_facilitates(actor)
        ):
            raise PermissionDenied(_("You can only move your own notes while adding notes."))
        fields = ["version"]
        if x is not None:
            note.x = _clean_position(x)
            fields.append("x")
        if y is not None:
            note.y = _clean_position(y)
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
        _note_event(note, NOTE_UPDATED)
    return note


def note_delete(*, participant: Participant | None, note_id: int, version: int) -> None:
    """Delete a note: its author, or a facilitator (any note). Publishes ``note.deleted``."""
    with transaction.atomic():
        note, actor = _note_for_change(participant, note_id, version)
        if note.author_id != actor.pk and not permissions.participant_facilitates(actor):
            raise PermissionDenied(_("You can only delete your own notes."))
        if note.session.phase not in NOTE_EDIT_PHASES:
            raise _wrong_phase(note.session)
        session_id, pk = note.session_id, note.pk
        note.delete()
        _publish(session_id, NOTE_DELETED, pk, {"id": pk})


# -- groups -----------------------------------------------------------------------------------


def group_create(
    *, participant: Participant | None, session: CodesignSession, name: str
) -> NoteGroup:
    """Add a named group (cluster phase; anyone in the session)."""
    name = _clean_line(name, "name", GROUP_NAME_MAX, _("Give the group a name."))
    with transaction.atomic():
        row = _lock_session(session.pk)
        actor = _active(participant, row.pk, session=row)
        if row.phase not in GROUPING_PHASES:
            raise _wrong_phase(row)
        _check_board_open(row, actor)
        existing = row.groups.aggregate(n=Count("id"), top=Max("position"))
        if existing["n"] >= setting("GROUPS_MAX"):
            raise ValidationError(_("This board has as many groups as it can hold."))
        group = NoteGroup.objects.create(
            session=row, name=name, position=(existing["top"] or 0) + 1
        )
        _publish(row.pk, GROUP_CREATED, group.pk, group_card(group))
    return group


def group_rename(
    *, participant: Participant | None, group_id: int, name: str, version: int
) -> NoteGroup:
    name = _clean_line(name, "name", GROUP_NAME_MAX, _("Give the group a name."))
    with transaction.atomic():
        group = (
            NoteGroup.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=group_id)
        )
        actor = _active(participant, group.session_id)
        _check_version(group.version, version)
        if group.session.phase not in GROUPING_PHASES:
            raise _wrong_phase(group.session)
        _check_board_open(group.session, actor)
        group.name = name
        group.version += 1
        group.save(update_fields=["name", "version"])
        _publish(group.session_id, GROUP_UPDATED, group.pk, group_card(group, group.dots.count()))
    return group


def group_delete(*, participant: Participant | None, group_id: int, version: int) -> None:
    """Remove an empty or unwanted group (facilitators); its notes become ungrouped."""
    with transaction.atomic():
        group = (
            NoteGroup.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=group_id)
        )
        actor = _active(participant, group.session_id)
        if not permissions.participant_facilitates(actor):
            raise PermissionDenied(_("Only the session's facilitators can do that."))
        _check_version(group.version, version)
        if group.session.phase not in GROUPING_PHASES:
            raise _wrong_phase(group.session)
        session = group.session
        moved = list(
            Note.objects.filter(group=group, is_hidden=False).select_related("author__persona")
        )
        Note.objects.filter(group=group).update(group=None, version=F("version") + 1)
        pk = group.pk
        group.delete()
        _publish(session.pk, GROUP_DELETED, pk, {"id": pk})
        for note in moved:
            note.group, note.version, note.session = None, note.version + 1, session
            _note_event(note, NOTE_UPDATED)


# -- votes ------------------------------------------------------------------------------------


def _publish_votes(session_id: int, group_ids: Iterable[int]) -> None:
    totals = dict(
        Dot.objects.filter(group_id__in=list(group_ids))
        .values_list("group_id")
        .annotate(n=Count("id"))
    )
    for group_id in group_ids:
        _publish(
            session_id,
            VOTES_CHANGED,
            group_id,
            {"group": group_id, "votes": totals.get(group_id, 0)},
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
        voter = _active(participant, session.pk, lock=True)
        row = CodesignSession.objects.get(pk=session.pk)
        if row.phase not in VOTE_PHASES:
            raise _wrong_phase(row)
        _check_board_open(row, voter)
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
        _publish_votes(row.pk, [group.pk])
        return _vote_result(voter, row, group.pk)


def dot_withdraw(
    *, participant: Participant | None, session: CodesignSession, group_id: int
) -> dict[str, int]:
    """Take one of the participant's dots back from a group (vote phase)."""
    with transaction.atomic():
        voter = _active(participant, session.pk, lock=True)
        row = CodesignSession.objects.get(pk=session.pk)
        if row.phase not in VOTE_PHASES:
            raise _wrong_phase(row)
        _check_board_open(row, voter)
        dot = Dot.objects.filter(participant=voter, group_id=group_id, session=row).first()
        if dot is None:
            raise ValidationError({"group": _("You have no vote on that group to take back.")})
        dot.delete()
        _publish_votes(row.pk, [group_id])
        return _vote_result(voter, row, group_id)


# -- outcomes ---------------------------------------------------------------------------------


def outcome_create(
    *,
    user: User,
    session: CodesignSession,
    title: str,
    description: str = "",
    group_id: int | None = None,
) -> Outcome:
    """Record what the session decided (decide phase, facilitators), usually from a group."""
    _require_facilitator(user, session)
    title = _clean_line(title, "title", TITLE_MAX, _("Say what the outcome is."))
    description = plain_text((description or "").strip())
    if len(description) > GOAL_MAX:
        raise ValidationError(
            {"description": _("Keep the description under %(n)d characters.") % {"n": GOAL_MAX}}
        )
    with transaction.atomic():
        row = _lock_session(session.pk)
        if row.phase not in OUTCOME_PHASES:
            raise _wrong_phase(row)
        group = None
        if group_id is not None:
            group = NoteGroup.objects.filter(pk=group_id, session=row).first()
            if group is None:
                raise ValidationError({"group": _("Choose one of this board's groups.")})
            if Outcome.objects.filter(session=row, group=group).exists():
                raise ValidationError({"group": _("That group already has an outcome.")})
        top = row.outcomes.aggregate(top=Max("position"))["top"] or 0
        outcome = Outcome.objects.create(
            session=row,
            group=group,
            title=title,
            description=description,
            position=top + 1,
            created_by=user,
        )
        _publish(row.pk, OUTCOME_CREATED, outcome.pk, outcome_card(outcome))
    return outcome


def outcome_ideas(outcome: Outcome) -> list[Idea]:
    """The ideas an outcome came from: those its group's notes were written about."""
    if outcome.group_id is None:
        return []
    ids = (
        Note.objects.filter(group_id=outcome.group_id, idea__isnull=False, is_hidden=False)
        .values_list("idea_id", flat=True)
        .distinct()
    )
    return list(
        Idea.objects.filter(pk__in=list(ids), merged_into__isnull=True)
        .select_related("challenge")
        .order_by("pk")
    )


def outcome_promote(*, user: User, outcome: Outcome) -> BacklogItem:
    """Turn an outcome into a new, non-public item in the agency's backlog, linked to the
    outcome (and through it the session and its notes) and the ideas it came from.

    Session participants hear about the item through the backlog's close-the-loop machinery
    once it becomes public and changes (see ``ideas.codesign.sources``). Promoting twice is
    refused. Publishes ``outcome.promoted`` (and the backlog's ``backlog.item_created``).
    """
    session = outcome.session
    _require_facilitator(user, session)
    with transaction.atomic():
        locked = (
            Outcome.objects.select_for_update(of=("self",))
            .select_related("session__agency", "group")
            .get(pk=outcome.pk)
        )
        if locked.backlog_item_id is not None:
            raise ValidationError(_("This outcome is already in the backlog."))
        if locked.session.phase not in (Phase.DECIDE, Phase.SUMMARY):
            raise _wrong_phase(locked.session)
        notes = []
        if locked.group_id:
            notes = list(
                Note.objects.filter(group_id=locked.group_id, is_hidden=False).values_list(
                    "text", flat=True
                )
            )
        problem = locked.description or _("From the co-design session “%(session)s”.") % {
            "session": locked.session.title
        }
        if notes:
            problem += (
                "\n\n" + _("Notes from the session:") + "\n" + "\n".join(f"- {t}" for t in notes)
            )
        item = backlog_services.item_create(
            user=user,
            agency=locked.session.agency,
            title=locked.title,
            problem=problem[:5000],
            internal_notes=_("Session: %(url)s") % {"url": locked.session.get_absolute_url()},
            ideas=outcome_ideas(locked),
            sources=[locked],
        )
        locked.backlog_item = item
        locked.save(update_fields=["backlog_item"])
        _publish(locked.session_id, OUTCOME_PROMOTED, locked.pk, outcome_card(locked))
    outcome.backlog_item = item
    return item
