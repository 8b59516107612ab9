"""Coalesced note moves: drags applied in batches, the latest position of each note winning.

A live board sends a ``note_move`` for every step of a drag. Applied one by one, each would be
a transaction and a frame to every socket of the session; at a workshop's pace (a hundred
people, several moves a second each) that is more than two cores carry (docs/performance.md,
co-design). So a *position-only* move over the socket (``x`` and ``y``, no group) is not run
in its socket's queue: the session consumer hands it to this process's :data:`buffer`, which
applies every move of a session that arrived within ``CODESIGN["MOVE_FLUSH_MS"]`` in one
transaction (:func:`ideas.codesign.actions.notes_place`) and one ``notes.moved`` event.

* Latest wins: of several moves of one note in a batch the last allowed one is applied; the
  others are acknowledged with the version it made (``"superseded": true``). Moves are not
  compared with a version; edits, group moves, deletes and votes still are (they stay in the
  socket's ordered queue and never coalesce).
* Acknowledged means applied: the ack is sent once the batch has committed; a refused move
  (phase, lock, someone else's note while adding notes, gone) gets its error and changed
  nothing. A socket that closes meanwhile still has its moves applied.
* Bounded: each move counts against the process's admission budget
  (:class:`realtime.consumers.Admission`) until answered, and a session's batches are at most
  one per interval per process, so other clients see moves at a bounded rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from channels.db import DatabaseSyncToAsync
from django.conf import settings

from ideas.codesign import actions
from ideas.codesign.actions.notes import Placement
from ideas.codesign.conf import setting
from realtime.consumers import admission, in_action_thread

if TYPE_CHECKING:
    from realtime.consumers import LiveConsumer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingMove:
    placement: Placement
    consumer: LiveConsumer
    ref: str | None


class MoveBuffer:
    """This process's moves waiting for their session's next flush. Event loop only."""

    def __init__(self) -> None:
        self.pending: dict[int, list[PendingMove]] = {}
        self.flushing: dict[int, asyncio.Future] = {}

    def add(self, session_id: int, move: PendingMove) -> None:
        self.pending.setdefault(session_id, []).append(move)
        if session_id not in self.flushing:
            self.flushing[session_id] = asyncio.ensure_future(self._run(session_id))

    async def _run(self, session_id: int) -> None:
        """Flush the session's moves every interval while there are any."""
        try:
            while self.pending.get(session_id):
                await asyncio.sleep(setting("MOVE_FLUSH_MS") / 1000)
                moves = self.pending.pop(session_id, [])
                if moves:
                    await self.flush(session_id, moves)
        finally:
            self.flushing.pop(session_id, None)

    async def flush(self, session_id: int, moves: list[PendingMove]) -> None:
        placements = [m.placement for m in moves]
        try:
            results = await _in_flush_thread(actions.notes_place)(
                session_id=session_id, moves=placements
            )
        except Exception as exc:  # the transaction rolled back: nothing of it applied
            results = [exc] * len(moves)
        final = {}
        for move, outcome in zip(moves, results, strict=True):
            if not isinstance(outcome, Exception):
                final[move.placement.note] = move
        for move, outcome in zip(moves, results, strict=True):
            try:
                with contextlib.suppress(Exception):  # a socket closed meanwhile: no ack
                    if isinstance(outcome, Exception):
                        await move.consumer.answer("note_move", move.ref, error=outcome)
                    else:
                        note, version, group = outcome
                        result: dict = {"note": note, "version": version, "group": group}
                        if final[note] is not move:
                            result["superseded"] = True
                        await move.consumer.answer("note_move", move.ref, result)
            finally:
                admission.done()

    async def drain(self) -> None:
        """Wait until every pending move has been applied (tests; a closing socket)."""
        while self.flushing:
            await asyncio.gather(*list(self.flushing.values()))


_flush_executor: ThreadPoolExecutor | None = None


def _in_flush_thread(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """``function`` run on the process's one flush thread (with its own pooled connection):
    drags never wait behind the adds and edits queued for the action threads (measured:
    flushes of a hundred drags waited seconds behind them). On SQLite (no action threads)
    every action shares Django's one database thread anyway."""
    global _flush_executor
    if int(settings.REALTIME.get("ACTION_THREADS", 0)) <= 0:
        return in_action_thread(function)
    if _flush_executor is None:
        _flush_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="codesign-moves")
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=_flush_executor)


buffer = MoveBuffer()
