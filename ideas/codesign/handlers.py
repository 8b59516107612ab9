"""The board actions' handlers: each turns one validated message into one call of
:mod:`ideas.codesign.actions` and returns plain data (the socket's ``ack`` result, the form
view's message). ``actor`` is an :class:`ideas.codesign.dispatch.Actor`: the session consumer or
the board's form view. The table that names them, with their schemas, is
:data:`ideas.codesign.dispatch.ACTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ideas.codesign import actions
from ideas.codesign.models import CodesignSession, NoteGroup, Outcome

if TYPE_CHECKING:
    from ideas.codesign.dispatch import Actor


def _state(session: CodesignSession) -> dict[str, Any]:
    return {"phase": session.phase, "version": session.version}


def join(actor: Actor, *, persona: int) -> dict[str, Any]:
    from community.models import Persona

    chosen = Persona.objects.filter(pk=persona, account=actor.user).first()
    participant = actions.participant_join(
        user=actor.user, session=actor.fresh_session(), persona=chosen, has_code=actor.has_code
    )
    actor.participant_id, actor.participant_name = participant.pk, participant.name
    return {"participant": participant.pk, "name": participant.name}


def phase(actor: Actor, *, to: str, version: int) -> dict[str, Any]:
    user, session = actor.facilitator(), actor.fresh_session()
    if to in ("next", "back"):
        result = actions.phase_step(user=user, session=session, direction=to, version=version)
    else:
        result = actions.phase_set(user=user, session=session, phase=to, version=version)
    return _state(result)


def lock(actor: Actor, *, locked: bool, version: int) -> dict[str, Any]:
    result = actions.board_lock(
        user=actor.facilitator(), session=actor.fresh_session(), locked=locked, version=version
    )
    return _state(result)


def reveal(actor: Actor, *, version: int) -> dict[str, Any]:
    result = actions.notes_reveal(
        user=actor.facilitator(), session=actor.fresh_session(), version=version
    )
    return _state(result)


def timer_start(actor: Actor, *, version: int, seconds: int | None = None) -> dict[str, Any]:
    result = actions.timer_start(
        user=actor.facilitator(), session=actor.fresh_session(), seconds=seconds, version=version
    )
    return _state(result)


def timer_pause(actor: Actor, *, version: int) -> dict[str, Any]:
    result = actions.timer_pause(
        user=actor.facilitator(), session=actor.fresh_session(), version=version
    )
    return _state(result)


def timer_extend(actor: Actor, *, seconds: int, version: int) -> dict[str, Any]:
    result = actions.timer_extend(
        user=actor.facilitator(), session=actor.fresh_session(), seconds=seconds, version=version
    )
    return _state(result)


def remove(actor: Actor, *, participant: int) -> dict[str, Any]:
    removed = actions.participant_remove(
        user=actor.facilitator(), session=actor.fresh_session(), participant_id=participant
    )
    return {"participant": removed.pk, "name": removed.name}


def note_add(actor: Actor, *, text: str, **fields: Any) -> dict[str, Any]:
    note = actions.note_add(participant=actor.joined(), session=actor.session, text=text, **fields)
    result: dict[str, Any] = {"note": note.pk}
    if note.screening.held:
        result.update(held=True, note_message=note.screening.message)
    return result


def note_edit(actor: Actor, *, note: int, version: int, **fields: Any) -> dict[str, Any]:
    participant = actor.joined()
    changed = actor.versioned(
        "note",
        note,
        lambda: actions.note_edit(participant=participant, note_id=note, version=version, **fields),
    )
    return {"note": changed.pk, "version": changed.version}


def note_move(actor: Actor, *, note: int, version: int, **fields: Any) -> dict[str, Any]:
    if "group" in fields and fields["group"] is None:
        del fields["group"]
        fields["ungroup"] = True
    participant = actor.joined()
    moved = actor.versioned(
        "note",
        note,
        lambda: actions.note_move(participant=participant, note_id=note, version=version, **fields),
    )
    return {"note": moved.pk, "version": moved.version, "group": moved.group_id}


def note_delete(actor: Actor, *, note: int, version: int) -> dict[str, Any]:
    participant = actor.joined()
    actor.versioned(
        "note",
        note,
        lambda: actions.note_delete(participant=participant, note_id=note, version=version),
    )
    return {"note": note}


def _group_here(actor: Actor, group_id: int) -> None:
    if not NoteGroup.objects.filter(pk=group_id, session_id=actor.session.pk).exists():
        raise NoteGroup.DoesNotExist


def group_add(actor: Actor, *, name: str) -> dict[str, Any]:
    group = actions.group_create(participant=actor.joined(), session=actor.session, name=name)
    return {"group": group.pk}


def group_rename(actor: Actor, *, group: int, name: str, version: int) -> dict[str, Any]:
    _group_here(actor, group)
    participant = actor.joined()
    renamed = actor.versioned(
        "group",
        group,
        lambda: actions.group_rename(
            participant=participant, group_id=group, name=name, version=version
        ),
    )
    return {"group": renamed.pk, "version": renamed.version}


def group_delete(actor: Actor, *, group: int, version: int) -> dict[str, Any]:
    _group_here(actor, group)
    participant = actor.joined()
    actor.versioned(
        "group",
        group,
        lambda: actions.group_delete(participant=participant, group_id=group, version=version),
    )
    return {"group": group}


def vote(actor: Actor, *, group: int) -> dict[str, Any]:
    return actions.dot_cast(participant=actor.joined(), session=actor.session, group_id=group)


def unvote(actor: Actor, *, group: int) -> dict[str, Any]:
    return actions.dot_withdraw(participant=actor.joined(), session=actor.session, group_id=group)


def outcome_add(
    actor: Actor, *, title: str, description: str = "", group: int | None = None
) -> dict[str, Any]:
    outcome = actions.outcome_create(
        user=actor.facilitator(),
        session=actor.fresh_session(),
        title=title,
        description=description,
        group_id=group,
    )
    return {"outcome": outcome.pk}


def outcome_promote(actor: Actor, *, outcome: int) -> dict[str, Any]:
    row = Outcome.objects.select_related("session").get(pk=outcome, session_id=actor.session.pk)
    item = actions.outcome_promote(user=actor.facilitator(), outcome=row)
    return {"outcome": row.pk, "backlog_item": item.pk, "title": item.title}


HANDLERS: dict[str, Callable[..., Any]] = {
    "join": join,
    "phase": phase,
    "lock": lock,
    "reveal": reveal,
    "timer_start": timer_start,
    "timer_pause": timer_pause,
    "timer_extend": timer_extend,
    "remove": remove,
    "note_add": note_add,
    "note_edit": note_edit,
    "note_move": note_move,
    "note_delete": note_delete,
    "group_add": group_add,
    "group_rename": group_rename,
    "group_delete": group_delete,
    "vote": vote,
    "unvote": unvote,
    "outcome_add": outcome_add,
    "outcome_promote": outcome_promote,
}
