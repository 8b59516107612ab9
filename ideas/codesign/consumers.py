"""The live co-design board: ``/ws/sessions/<session id>/``, stream ``session:<id>``.

The actions and their schemas are :data:`ideas.codesign.dispatch.ACTIONS`, shared with the
board's no-JS form post; the consumer is the :class:`~ideas.codesign.dispatch.Actor` that runs
them.

Who may connect follows :func:`ideas.codesign.permissions.can_watch` (others: 4403; unknown
sessions: 4404). Watching needs nothing more; every action except ``join`` needs the sender to
have joined (``not_joined`` otherwise), and the actions decide the rest (phase, role,
versions, vote budget). Guests are recognised by the key in their Django session
(:mod:`ideas.codesign.guests`), so participant actions (notes, groups, votes, typing) do not
require an account; joining by persona and every facilitator action (phases, lock, reveal,
timer, removing people, outcomes) do (``auth_required``): facilitators are staff accounts.

Concealed note text (while a session hides notes until the reveal) never rides the shared
stream: a socket follows, besides ``session:<id>``, its participant's private stream and, for
facilitators, the session's facilitators' stream (:meth:`SessionConsumer.private_streams`),
where ``note.text`` carries it. A participant removed by a facilitator is closed with 4403 when
the removal event reaches their socket. Presence ("who is here", "who is typing") is ephemeral (cache + events).

Drags (a ``note_move`` with ``x`` and ``y`` and no group) do not run in the socket's ordered
queue: :meth:`SessionConsumer.take_action` hands them to the process's move buffer
(:mod:`ideas.codesign.moves`), which applies a session's drags in batches, the latest
position of each note winning, and publishes one ``notes.moved`` per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ideas.codesign import dispatch, guests, moves, permissions, presence, selectors
from ideas.codesign.actions._checks import clean_position
from ideas.codesign.actions.notes import Placement
from ideas.codesign.events import (
    PARTICIPANT_REMOVED,
    PRESENCE_CHANGED,
    PRESENCE_TYPING,
    facilitators_stream,
    participant_stream,
    session_stream,
)
from ideas.codesign.models import CodesignSession
from realtime.consumers import CLOSE_FORBIDDEN, LiveConsumer, admission, in_action_thread
from realtime.events import apublish, client_frame


def _delegate(name: str) -> Callable[..., Any]:
    def handler(self: SessionConsumer, **payload: Any) -> Any:
        return dispatch.run(self, name, payload)

    handler.__name__ = handler.__qualname__ = f"handle_{name}"
    return handler


class _Handlers:
    """The consumer's handle_<action> methods: each runs the shared handler
    (:mod:`ideas.codesign.dispatch`); set below, one per action."""


for _name in dispatch.HANDLERS:
    setattr(_Handlers, f"handle_{_name}", _delegate(_name))


class SessionConsumer(_Handlers, dispatch.Actor, LiveConsumer):
    error_codes = dispatch.ERROR_CODES
    actions = dispatch.ACTIONS

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
            participant_id = self.participant_id
            assert participant_id is not None, "here only once joined"
            if await presence.leave(self.session.pk, participant_id) == 0:
                await self._presence(False)
        await super().disconnect(code)

    def build_snapshot(self) -> dict[str, Any]:
        session = selectors.session_detail(self.session.pk)
        self.session = session
        self.sees_all = permissions.can_facilitate(self.user, session)
        viewer = self.participant()
        return selectors.board_snapshot(session, viewer=viewer, sees_all=self.sees_all)

    # -- shared snapshots (connect and resync): one build for a crowd ----------------------
    # Watchers and participants see the same board unless notes are concealed (then each
    # participant sees their own notes' text) or they facilitate (they see all): those build
    # their own. The rest share the watchers' snapshot; a participant's ``you`` (who they
    # are here, their votes) is their overlay, read with their rights checked again.

    def snapshot_key(self) -> Hashable | None:
        if self.sees_all or (self.participant_id is not None and self.session.notes_hidden):
            return None
        return ("session", self.stream)

    def build_shared_snapshot(self) -> dict[str, Any]:
        session = selectors.session_detail(self.session.pk)
        return selectors.board_snapshot(session, viewer=None, sees_all=False)

    async def snapshot_overlay(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if self.participant_id is None and not self.is_authenticated:
            return {}  # a guest watching: the shared ``you`` is theirs
        return await in_action_thread(self._own_part)()

    def _own_part(self) -> dict[str, Any] | None:
        session = selectors.session_detail(self.session.pk)
        self.session = session
        self.sees_all = permissions.can_facilitate(self.user, session)
        viewer = self.participant()
        if self.sees_all or (viewer is not None and session.notes_hidden):
            return None  # concealed notes differ for them: a snapshot of their own
        return {"you": selectors.viewer_state(session, viewer=viewer, sees_all=False)}

    async def send_error(
        self,
        code: str,
        message: str,
        ref: str | None = None,
        fields: dict | None = None,
        current: dict | None = None,
        retry_after_ms: int | None = None,
    ) -> None:
        await super().send_error(code, message, ref, fields, current, retry_after_ms)
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
        participant_id = self.participant_id
        if (
            message["event"] == PARTICIPANT_REMOVED
            and participant_id is not None
            and message["id"] == participant_id
        ):
            self.here = False
            await presence.leave(self.session.pk, participant_id)
            await self.close(code=CLOSE_FORBIDDEN)

    # -- coalesced moves ------------------------------------------------------------------------

    async def take_action(self, name: str, payload: dict, ref: str | None) -> bool:
        """A drag (``note_move`` with ``x`` and ``y``, no group) of a joined participant goes
        to the process's move buffer (:mod:`ideas.codesign.moves`): applied with the moves
        that arrive within the flush interval, latest position winning, acknowledged once
        applied. Everything else runs in the socket's ordered queue."""
        if (
            name != "note_move"
            or "group" in payload
            or "ungroup" in payload
            or "x" not in payload
            or "y" not in payload
            or self.participant_id is None
        ):
            return False
        try:
            x, y = clean_position(payload["x"]), clean_position(payload["y"])
        except ValidationError as exc:
            await self.answer(name, ref, error=exc)
            admission.done()
            return True
        placement = Placement(note=payload["note"], participant=self.participant_id, x=x, y=y)
        moves.buffer.add(self.session.pk, moves.PendingMove(placement, self, ref))
        return True

    # -- helpers ------------------------------------------------------------------------------

    def guest_key(self) -> str:
        return self._guest_key(self.session.pk)

    async def action_done(self, name: str) -> None:
        # A join over this socket makes its sender "here" too, and gives them a private
        # stream: the client gets a snapshot naming it (and their concealed notes' text).
        if self.participant_id is not None and not self.here and self.stream:
            await self._arrive()
        if self.stream and await self.follow_private_streams():
            await self.send_snapshot()

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
