"""Session event types and payloads (see docs/realtime.md, "Co-design sessions").

Payloads name participants by persona or guest name only. While a session hides notes until
the reveal, the shared session stream carries a concealed note as a placeholder (no text); its
text goes out as ``note.text`` only on the private side streams of those who may read it: the
note's author (``participant_stream``) and the session's facilitators (``facilitators_stream``).
Nobody else's socket, and no process's copy of the shared stream, ever receives it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from ideas.codesign.models import (
    CodesignSession,
    Dot,
    Note,
    NoteGroup,
    Outcome,
    Participant,
    Phase,
    Prompt,
)
from realtime.events import declare, publish
from realtime.groups import private_stream, stream
from realtime.schema import BOOL, INT, STR, TIME, arr, null, obj

_SESSION = {
    "id": INT,
    "title": STR,
    "phase": STR,
    "phase_label": STR,
    "phases": arr(obj(value=STR, label=STR)),
    "locked": BOOL,
    "hide_notes": BOOL,
    "revealed": BOOL,
    "vote_budget": INT,
    "group_cap": INT,
    "timer": obj(running=BOOL, ends_at=null(TIME), remaining=null(INT)),
    "version": INT,
    "ended": BOOL,
}
_NOTE = {
    "id": INT,
    "prompt": null(INT),
    "group": null(INT),
    "text": STR,
    "concealed": BOOL,
    "colour": STR,
    "x": INT,
    "y": INT,
    "version": INT,
    "author": obj(id=INT, name=STR),
    "idea": null(INT),
    "edited": BOOL,
}
NOTE_CARD = obj(**_NOTE)
GROUP_CARD = obj(id=INT, name=STR, position=INT, version=INT, votes=INT)
OUTCOME_CARD = obj(
    id=INT,
    title=STR,
    description=STR,
    group=null(INT),
    backlog_item=null(INT),
    backlog_url=STR,
    backlog_staff_url=STR,
)

SESSION_UPDATED = declare(
    "session.updated",
    "Phase, lock, reveal or timer changed; data is the whole session state and what changed.",
    schema=obj(**_SESSION, change=STR),
)
PARTICIPANT_JOINED = declare(
    "participant.joined",
    "Someone joined a session; data is them.",
    schema=obj(id=INT, name=STR, guest=BOOL, handle=STR),
)
PARTICIPANT_REMOVED = declare(
    "participant.removed", "A facilitator removed a participant.", schema=obj(id=INT, name=STR)
)
PRESENCE_CHANGED = declare(
    "presence.changed",
    "Someone opened or left the live session page.",
    schema=obj(participant=INT, name=STR, here=BOOL),
)
PRESENCE_TYPING = declare(
    "presence.typing",
    "Someone started or stopped writing a note.",
    schema=obj(participant=INT, name=STR, typing=BOOL),
)
NOTE_CREATED = declare(
    "note.created", "A note was added (or approved); data is its card.", schema=NOTE_CARD
)
NOTE_UPDATED = declare(
    "note.updated", "A note's text, colour, position or group changed.", schema=NOTE_CARD
)
NOTES_MOVED = declare(
    "notes.moved",
    "Notes dragged to new positions: the latest position of each note moved since the last "
    "such event (moves are coalesced, at most one event per flush interval and process).",
    schema=obj(notes=arr(obj(id=INT, x=INT, y=INT, version=INT))),
)
NOTE_DELETED = declare(
    "note.deleted", "A note was deleted by its author or a facilitator.", schema=obj(id=INT)
)
NOTE_HIDDEN = declare(
    "note.hidden",
    "A moderator hid a note (or screening held it).",
    schema=obj(id=INT, reason=STR),
)
NOTES_REVEALED = declare(
    "notes.revealed",
    "The facilitator revealed every note; data is all.",
    schema=obj(notes=arr(obj(**_NOTE))),
)
GROUP_CREATED = declare("group.created", "A group was added to the board.", schema=GROUP_CARD)
GROUP_UPDATED = declare("group.updated", "A group was renamed.", schema=GROUP_CARD)
GROUP_DELETED = declare(
    "group.deleted", "A group was removed; its notes are ungrouped.", schema=obj(id=INT)
)
VOTES_CHANGED = declare(
    "votes.changed",
    "A group's vote total changed (absolute count).",
    schema=obj(group=INT, votes=INT),
)
OUTCOME_CREATED = declare(
    "outcome.created", "The facilitator recorded an outcome.", schema=OUTCOME_CARD
)
OUTCOME_PROMOTED = declare(
    "outcome.promoted", "An outcome became a backlog item.", schema=OUTCOME_CARD
)

NOTE_TEXT = declare(
    "note.text",
    "A concealed note as its author and the facilitators see it (with its text); sent only on "
    "their private streams, beside the placeholder on the shared stream.",
    schema=NOTE_CARD,
)


def session_stream(session_id: int) -> str:
    return stream("session", session_id)


def participant_stream(session_id: int, participant_id: int) -> str:
    """One participant's private stream in a session (their concealed notes' text)."""
    return private_stream(session_stream(session_id), f"p{participant_id}")


def facilitators_stream(session_id: int) -> str:
    """The private stream of a session's facilitators (every concealed note's text)."""
    return private_stream(session_stream(session_id), "facilitators")


def publish_note(note: Note, type_: str) -> None:
    """Publish ``type_`` (``note.created``/``note.updated``) for ``note`` after commit.

    While the session hides notes the shared stream gets the placeholder only, and the text
    follows as ``note.text`` on the author's and the facilitators' private streams.
    ``note.session`` and ``note.author`` must be loaded.
    """
    conceal = note.session.notes_hidden
    publish(
        stream=session_stream(note.session_id),
        type=type_,
        object_id=note.pk,
        data=note_card(note, conceal=conceal),
    )
    if conceal:
        card = note_card(note, conceal=False)
        for name in (
            participant_stream(note.session_id, note.author_id),
            facilitators_stream(note.session_id),
        ):
            publish(stream=name, type=NOTE_TEXT, object_id=note.pk, data=card)


def timer_state(session: CodesignSession) -> dict[str, Any]:
    if session.timer_ends_at is not None:
        left = max(0, int((session.timer_ends_at - timezone.now()).total_seconds()))
        return {"running": True, "ends_at": session.timer_ends_at.isoformat(), "remaining": left}
    return {"running": False, "ends_at": None, "remaining": session.timer_remaining}


def session_state(session: CodesignSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "phase": session.phase,
        "phase_label": str(Phase(session.phase).label),
        "phases": [{"value": v, "label": str(label)} for v, label in Phase.choices],
        "locked": session.locked,
        "hide_notes": session.hide_notes,
        "revealed": session.revealed,
        "vote_budget": session.vote_budget,
        "group_cap": session.group_cap,
        "timer": timer_state(session),
        "version": session.version,
        "ended": session.is_finished,
    }


def participant_card(participant: Participant) -> dict[str, Any]:
    """Name only: never the account, its e-mail or its other personas."""
    return {
        "id": participant.pk,
        "name": participant.name,
        "guest": participant.is_guest,
        "handle": participant.persona.slug if participant.persona_id else "",
    }


def prompt_card(prompt: Prompt) -> dict[str, Any]:
    return {"id": prompt.pk, "text": prompt.text}


def group_card(group: NoteGroup, votes: int = 0) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "position": group.position,
        "version": group.version,
        "votes": votes,
    }


def note_card(note: Note, *, conceal: bool) -> dict[str, Any]:
    """The note as a viewer sees it. ``conceal``: the text left out (a placeholder)."""
    return {
        "id": note.pk,
        "prompt": note.prompt_id,
        "group": note.group_id,
        "text": "" if conceal else note.text,
        "concealed": conceal,
        "colour": note.colour,
        "x": note.x,
        "y": note.y,
        "version": note.version,
        "author": {"id": note.author_id, "name": note.author.name},
        "idea": note.idea_id,
        "edited": note.edited_at is not None,
    }


def outcome_card(outcome: Outcome) -> dict[str, Any]:
    item = outcome.backlog_item
    return {
        "id": outcome.pk,
        "title": outcome.title,
        "description": outcome.description,
        "group": outcome.group_id,
        "backlog_item": item.pk if item else None,
        # The public roadmap page exists only once the item is public; facilitators follow
        # the staff page (a draft's roadmap link was a 404 for everyone).
        "backlog_url": item.get_absolute_url() if item and item.is_public else "",
        "backlog_staff_url": reverse("backlog:item", args=[item.pk]) if item else "",
    }


# -- building and publishing (the actions call these; delivery happens after commit) ---------


def publish_session_event(
    session_id: int, type_: str, object_id: int | None, data: dict[str, Any]
) -> None:
    """Publish ``type_`` on the session's shared stream (sent once the transaction commits)."""
    publish(stream=session_stream(session_id), type=type_, object_id=object_id, data=data)


def publish_session_changed(session: CodesignSession, change: str) -> None:
    """``session.updated`` with the session's state and what changed (``phase``, ``lock``, …)."""
    publish_session_event(
        session.pk, SESSION_UPDATED, session.pk, {**session_state(session), "change": change}
    )


def publish_reveal(session: CodesignSession) -> None:
    """``notes.revealed``: every visible note of the session with its text."""
    notes = Note.objects.filter(session=session, is_hidden=False).select_related("author__persona")
    publish_session_event(
        session.pk,
        NOTES_REVEALED,
        session.pk,
        {"notes": [note_card(n, conceal=False) for n in notes]},
    )


def publish_votes(session_id: int, group_ids: Iterable[int]) -> None:
    """``votes.changed`` with the new total of each of ``group_ids``."""
    group_ids = list(group_ids)
    totals = dict(
        Dot.objects.filter(group_id__in=group_ids).values_list("group_id").annotate(n=Count("id"))
    )
    for group_id in group_ids:
        publish_session_event(
            session_id,
            VOTES_CHANGED,
            group_id,
            {"group": group_id, "votes": totals.get(group_id, 0)},
        )
