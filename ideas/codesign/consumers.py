"""The live co-design board: ``/ws/sessions/<session id>/``, stream ``session:<id>``.

Who may connect follows :func:`ideas.codesign.permissions.can_watch` (others: 4403; unknown
sessions: 4404). Watching needs nothing more; every action except ``join`` needs the sender to
have joined (``not_joined`` otherwise), and the services decide the rest (phase, role,
versions, vote budget). Guests are recognised by the key in their Django session
(:mod:`ideas.codesign.guests`), so participant actions (notes, groups, votes, typing) do not
require an account; joining by persona and every facilitator action (phases, lock, reveal,
timer, removing people, outcomes) do (``auth_required``): facilitators are staff accounts.

Concealed note text (while a session hides notes until the reveal) never rides the shared
stream: a socket follows, besides ``session:<id>``, its participant's private stream and, for
facilitators, the session's facilitators' stream (:meth:`SessionConsumer.private_streams`),
where ``note.text`` carries it. A participant removed by a facilitator is closed with 4403 when
the removal event reaches their socket. Presence ("who is here", "who is typing") is ephemeral (cache + events).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ideas.codesign import guests, permissions, presence, selectors, services
from ideas.codesign.events import (
    PARTICIPANT_REMOVED,
    PRESENCE_CHANGED,
    PRESENCE_TYPING,
    facilitators_stream,
    participant_stream,
    session_stream,
)
from ideas.codesign.models import (
    PHASES,
    CodesignSession,
    Colour,
    NoteGroup,
    Outcome,
    Participant,
)
from realtime.consumers import CLOSE_FORBIDDEN, Action, LiveConsumer
from realtime.events import apublish, client_frame

_ID = {"type": "integer", "minimum": 1, "maximum": 2**53}
_VERSION = {"type": "integer", "minimum": 1, "maximum": 2**53}
_POS = {"type": "integer"}
# Generous schema limits: the services give the clear, translated length messages.
_TEXT = {"type": "string", "maxLength": 4000}


def _act(handler: str, properties: dict, required: tuple = (), *, auth: bool = False) -> Action:
    return Action(handler=handler, properties=properties, required=required, requires_auth=auth)


class SessionConsumer(LiveConsumer):
    error_codes = frozenset({"stale", "wrong_phase", "locked", "over_budget", "not_joined"})
    actions = {
        "join": _act("handle_join", {"persona": _ID}, ("persona",), auth=True),
        "phase": _act(
            "handle_phase",
            {"to": {"type": "string", "enum": [*PHASES, "next", "back"]}, "version": _VERSION},
            ("to", "version"),
            auth=True,
        ),
        "lock": _act(
            "handle_lock",
            {"locked": {"type": "boolean"}, "version": _VERSION},
            ("locked", "version"),
            auth=True,
        ),
        "reveal": _act("handle_reveal", {"version": _VERSION}, ("version",), auth=True),
        "timer_start": _act(
            "handle_timer_start",
            {"seconds": {"type": ["integer", "null"]}, "version": _VERSION},
            ("version",),
            auth=True,
        ),
        "timer_pause": _act("handle_timer_pause", {"version": _VERSION}, ("version",), auth=True),
        "timer_extend": _act(
            "handle_timer_extend",
            {"seconds": {"type": "integer"}, "version": _VERSION},
            ("seconds", "version"),
            auth=True,
        ),
        "remove": _act("handle_remove", {"participant": _ID}, ("participant",), auth=True),
        "note_add": _act(
            "handle_note_add",
            {
                "text": _TEXT,
                "prompt": {"type": ["integer", "null"]},
                "colour": {"type": "string", "enum": list(Colour.values)},
                "x": _POS,
                "y": _POS,
                "idea": {"type": ["integer", "null"]},
            },
            ("text",),
        ),
        "note_edit": _act(
            "handle_note_edit",
            {"note": _ID, "version": _VERSION, "text": _TEXT, "colour": {"type": "string"}},
            ("note", "version"),
        ),
        "note_move": _act(
            "handle_note_move",
            {
                "note": _ID,
                "version": _VERSION,
                "x": _POS,
                "y": _POS,
                "group": _ID,
                "ungroup": {"type": "boolean"},
            },
            ("note", "version"),
        ),
        "note_delete": _act(
            "handle_note_delete", {"note": _ID, "version": _VERSION}, ("note", "version")
        ),
        "group_add": _act("handle_group_add", {"name": _TEXT}, ("name",)),
        "group_rename": _act(
            "handle_group_rename",
            {"group": _ID, "name": _TEXT, "version": _VERSION},
            ("group", "name", "version"),
        ),
        "group_delete": _act(
            "handle_group_delete", {"group": _ID, "version": _VERSION}, ("group", "version")
        ),
        "vote": _act("handle_vote", {"group": _ID}, ("group",)),
        "unvote": _act("handle_unvote", {"group": _ID}, ("group",)),
        "outcome_add": _act(
            "handle_outcome_add",
            {"title": _TEXT, "description": _TEXT, "group": {"type": ["integer", "null"]}},
            ("title",),
            auth=True,
        ),
        "outcome_promote": _act(
            "handle_outcome_promote", {"outcome": _ID}, ("outcome",), auth=True
        ),
        "typing": _act("handle_typing", {"typing": {"type": "boolean"}}, ("typing",)),
    }

    # -- connection ------------------------------------------------------------------------

    async def resolve_stream(self) -> str | None:
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.participant_id: int | None = None
        self.participant_name = ""
        self.here = False
        found = await database_sync_to_async(self._load)(session_id)
        if not found:
            return None
        await self._arrive()
        return session_stream(session_id)

    def _guest_key(self, session_id: int) -> str:
        return guests.guest_key(self.scope.get("session"), session_id)

    def _load(self, session_id: int) -> bool:
        session = CodesignSession.objects.select_related("agency").filter(pk=session_id).first()
        if session is None:
            return False
        participant = selectors.participant_for(session_id, self.user, self._guest_key(session_id))
        has_code = guests.has_code(self.scope.get("session"), session_id)
        if not permissions.can_watch(
            self.user, session, participant=participant, has_code=has_code
        ):
            raise PermissionDenied
        if participant is not None and participant.removed_at is not None:
            raise PermissionDenied
        self.session = session
        self.has_code = has_code
        self.sees_all = permissions.can_facilitate(self.user, session)
        if participant is not None:
            self.participant_id, self.participant_name = participant.pk, participant.name
        return True

    async def _arrive(self) -> None:
        if self.participant_id is None or self.here:
            return
        self.here = True
        if await presence.arrive(self.session.pk, self.participant_id) == 1:
            await self._presence(True)

    async def _presence(self, here: bool) -> None:
        await apublish(
            stream=session_stream(self.session.pk),
            type=PRESENCE_CHANGED,
            object_id=self.participant_id,
            data={"participant": self.participant_id, "name": self.participant_name, "here": here},
        )

    async def disconnect(self, code: int) -> None:
        # A facilitator leaving ends nothing: the session's state lives in the database.
        await self._finish_actions()  # a join still in flight would mark them "here" again
        if getattr(self, "here", False):
            self.here = False
            if await presence.leave(self.session.pk, self.participant_id) == 0:
                await self._presence(False)
        await super().disconnect(code)

    def build_snapshot(self) -> dict[str, Any]:
        session = selectors.session_detail(self.session.pk)
        self.session = session
        self.sees_all = permissions.can_facilitate(self.user, session)
        viewer = self._participant()
        return selectors.board_snapshot(session, viewer=viewer, sees_all=self.sees_all)

    async def send_error(self, code, message, ref=None, fields=None, current=None) -> None:
        await super().send_error(code, message, ref, fields, current)
        if code == "stale" and current is None:
            # A stale session-level change (phase, lock, timer): the whole board may differ,
            # so the client gets a snapshot. A stale note or group carries its present state
            # instead (``current``): one row, not the whole board, answers the common case of
            # a client moving its own note again before its last move came back.
            await self.send_snapshot()

    # -- per-viewer streams and events ----------------------------------------------------------

    async def private_streams(self) -> list[str]:
        """The participant's own stream and, for facilitators, the facilitators' stream:
        where concealed notes' text arrives (``note.text``). Facilitator rights are as of the
        last snapshot (``build_snapshot`` asks again each time)."""
        streams = []
        if self.participant_id is not None:
            streams.append(participant_stream(self.session.pk, self.participant_id))
        if self.sees_all:
            streams.append(facilitators_stream(self.session.pk))
        return streams

    async def realtime_event(self, message: dict) -> None:
        await self.send(text_data=client_frame(message))
        if message["event"] == PARTICIPANT_REMOVED and message["id"] == self.participant_id:
            self.here = False
            await presence.leave(self.session.pk, self.participant_id)
            await self.close(code=CLOSE_FORBIDDEN)

    # -- helpers ------------------------------------------------------------------------------

    def _participant(self):
        return selectors.participant_for(
            self.session.pk, self.user, self._guest_key(self.session.pk)
        )

    def _joined(self):
        """The sender's participant. Once known on this socket it is not looked up again: the
        services re-read and lock the row, refusing removed or suspended people."""
        if self.participant_id is not None:
            return Participant(pk=self.participant_id, session_id=self.session.pk)
        participant = self._participant()
        if participant is None:
            raise ValidationError(_("Join the session first."), code="not_joined")
        self.participant_id, self.participant_name = participant.pk, participant.name
        return participant

    def _versioned(self, kind: str, object_id: int, change):
        """Run ``change``; a ``stale`` refusal carries the object's present state."""
        try:
            return change()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                exc.current = selectors.current_object(
                    self.session.pk,
                    kind,
                    object_id,
                    viewer_id=self.participant_id,
                    sees_all=self.sees_all,
                )
            raise

    def _facilitator(self):
        """The sender, for facilitator actions: the services decide whether they facilitate.
        A facilitator need not join as a participant to run the session."""
        return self.user

    def _fresh_session(self) -> CodesignSession:
        return CodesignSession.objects.select_related("agency").get(pk=self.session.pk)

    def _state(self, session: CodesignSession) -> dict[str, Any]:
        return {"phase": session.phase, "version": session.version}

    # -- handlers (each calls one service) ------------------------------------------------------

    def handle_join(self, *, persona: int) -> dict[str, Any]:
        from community.models import Persona

        chosen = Persona.objects.filter(pk=persona, account=self.user).first()
        participant = services.participant_join(
            user=self.user, session=self._fresh_session(), persona=chosen, has_code=self.has_code
        )
        self.participant_id, self.participant_name = participant.pk, participant.name
        return {"participant": participant.pk, "name": participant.name}

    async def action_done(self, name: str) -> None:
        # A join over this socket makes its sender "here" too, and gives them a private
        # stream: the client gets a snapshot naming it (and their concealed notes' text).
        if self.participant_id is not None and not self.here and self.stream:
            await self._arrive()
        if self.stream and await self.follow_private_streams():
            await self.send_snapshot()

    def handle_phase(self, *, to: str, version: int) -> dict[str, Any]:
        user, session = self._facilitator(), self._fresh_session()
        if to in ("next", "back"):
            result = services.phase_step(user=user, session=session, direction=to, version=version)
        else:
            result = services.phase_set(user=user, session=session, phase=to, version=version)
        return self._state(result)

    def handle_lock(self, *, locked: bool, version: int) -> dict[str, Any]:
        result = services.board_lock(
            user=self._facilitator(), session=self._fresh_session(), locked=locked, version=version
        )
        return self._state(result)

    def handle_reveal(self, *, version: int) -> dict[str, Any]:
        result = services.notes_reveal(
            user=self._facilitator(), session=self._fresh_session(), version=version
        )
        return self._state(result)

    def handle_timer_start(self, *, version: int, seconds: int | None = None) -> dict[str, Any]:
        result = services.timer_start(
            user=self._facilitator(),
            session=self._fresh_session(),
            seconds=seconds,
            version=version,
        )
        return self._state(result)

    def handle_timer_pause(self, *, version: int) -> dict[str, Any]:
        result = services.timer_pause(
            user=self._facilitator(), session=self._fresh_session(), version=version
        )
        return self._state(result)

    def handle_timer_extend(self, *, seconds: int, version: int) -> dict[str, Any]:
        result = services.timer_extend(
            user=self._facilitator(),
            session=self._fresh_session(),
            seconds=seconds,
            version=version,
        )
        return self._state(result)

    def handle_remove(self, *, participant: int) -> dict[str, Any]:
        removed = services.participant_remove(
            user=self._facilitator(), session=self._fresh_session(), participant_id=participant
        )
        return {"participant": removed.pk}

    def handle_note_add(self, *, text: str, **fields: Any) -> dict[str, Any]:
        note = services.note_add(
            participant=self._joined(), session=self.session, text=text, **fields
        )
        result: dict[str, Any] = {"note": note.pk}
        if note.screening.held:
            result.update(held=True, note_message=note.screening.message)
        return result

    def handle_note_edit(self, *, note: int, version: int, **fields: Any) -> dict[str, Any]:
        participant = self._joined()
        changed = self._versioned(
            "note",
            note,
            lambda: services.note_edit(
                participant=participant, note_id=note, version=version, **fields
            ),
        )
        return {"note": changed.pk, "version": changed.version}

    def handle_note_move(self, *, note: int, version: int, **fields: Any) -> dict[str, Any]:
        participant = self._joined()
        moved = self._versioned(
            "note",
            note,
            lambda: services.note_move(
                participant=participant, note_id=note, version=version, **fields
            ),
        )
        return {"note": moved.pk, "version": moved.version, "group": moved.group_id}

    def handle_note_delete(self, *, note: int, version: int) -> dict[str, Any]:
        participant = self._joined()
        self._versioned(
            "note",
            note,
            lambda: services.note_delete(participant=participant, note_id=note, version=version),
        )
        return {"note": note}

    def _group_here(self, group_id: int) -> None:
        if not NoteGroup.objects.filter(pk=group_id, session_id=self.session.pk).exists():
            raise NoteGroup.DoesNotExist

    def handle_group_add(self, *, name: str) -> dict[str, Any]:
        group = services.group_create(participant=self._joined(), session=self.session, name=name)
        return {"group": group.pk}

    def handle_group_rename(self, *, group: int, name: str, version: int) -> dict[str, Any]:
        self._group_here(group)
        participant = self._joined()
        renamed = self._versioned(
            "group",
            group,
            lambda: services.group_rename(
                participant=participant, group_id=group, name=name, version=version
            ),
        )
        return {"group": renamed.pk, "version": renamed.version}

    def handle_group_delete(self, *, group: int, version: int) -> dict[str, Any]:
        self._group_here(group)
        participant = self._joined()
        self._versioned(
            "group",
            group,
            lambda: services.group_delete(participant=participant, group_id=group, version=version),
        )
        return {"group": group}

    def handle_vote(self, *, group: int) -> dict[str, Any]:
        return services.dot_cast(participant=self._joined(), session=self.session, group_id=group)

    def handle_unvote(self, *, group: int) -> dict[str, Any]:
        return services.dot_withdraw(
            participant=self._joined(), session=self.session, group_id=group
        )

    def handle_outcome_add(
        self, *, title: str, description: str = "", group: int | None = None
    ) -> dict[str, Any]:
        outcome = services.outcome_create(
            user=self._facilitator(),
            session=self._fresh_session(),
            title=title,
            description=description,
            group_id=group,
        )
        return {"outcome": outcome.pk}

    def handle_outcome_promote(self, *, outcome: int) -> dict[str, Any]:
        user = self._facilitator()
        row = Outcome.objects.select_related("session").get(pk=outcome, session_id=self.session.pk)
        item = services.outcome_promote(user=user, outcome=row)
        return {"outcome": row.pk, "backlog_item": item.pk}

    async def handle_typing(self, *, typing: bool) -> None:
        if self.participant_id is None:
            raise ValidationError(_("Join the session first."), code="not_joined")
        await apublish(
            stream=session_stream(self.session.pk),
            type=PRESENCE_TYPING,
            object_id=self.participant_id,
            data={
                "participant": self.participant_id,
                "name": self.participant_name,
                "typing": typing,
            },
        )
