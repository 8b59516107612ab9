"""The base websocket consumer every live stream builds on.

Protocol (documented in docs/realtime.md):

* On connect the consumer resolves its stream (``resolve_stream``), may refuse it, joins the
  stream's group and sends a ``snapshot`` frame carrying the stream's current sequence number.
* Events from :func:`realtime.events.publish` arrive as frames with ``type``, ``stream``,
  ``seq``, ``id``, ``at`` and ``data``. The sender receives its own events too.
* Inbound client messages are JSON objects with a ``type`` and an optional ``ref``. Before any
  service runs they are checked for size, rate, JSON shape, a declared ``type``, the action's
  JSON schema, and authentication. Problems come back as ``error`` frames with a ``code``;
  successes as ``ack`` frames. ``{"type": "resync"}`` asks for a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator

from realtime import recovery
from realtime.events import REDIS_UNREACHABLE, acurrent_sequence, client_frame
from realtime.groups import group_for
from realtime.inputguard import InputRefused, loads_json, refused_character
from realtime.schema import INT, STR, enum, obj

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_MANY_CONNECTIONS = 4409
CLOSE_RATE_LIMITED = 4429
CONNECTIONS_KEY = "rt:conn:{user_id}"

REF_SCHEMA = {"type": "string", "maxLength": 40}
# Messages already waiting for a socket that it sends in one turn of the event loop.
BATCH_MAX = 50


# A frame too large to parse may still start with the request's ref (clients write it first).
LEADING_REF = re.compile(r'\{\s*"ref"\s*:\s*"([^"\\]{1,40})"')


def _invalid_message(errors: list, message: dict) -> str:
    """What the person is told when a message breaks its schema: a text over its length limit
    names the limit (people type these; "not valid" left them guessing), else a general line."""
    for error in errors:
        if error.validator == "maxLength" and isinstance(error.instance, str):
            limit = error.validator_value
            return ngettext(
                "This can be at most %(limit)s character; it has %(count)s. Shorten it and try again.",
                "This can be at most %(limit)s characters; it has %(count)s. Shorten it and try again.",
                limit,
            ) % {"limit": limit, "count": len(error.instance)}
    return _("The message is not valid.")


@dataclass(frozen=True)
class Action:
    """An inbound message type: its payload schema and the consumer method that handles it.

    ``schema`` describes the payload's properties (``type`` and ``ref`` are added). The handler
    is a consumer method receiving the validated payload as keyword arguments; it should call
    one service and return plain data (or None). Synchronous handlers (the usual case: services
    touch the database) run in a worker thread; ``async def`` handlers run on the event loop.
    """

    handler: str
    properties: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    requires_auth: bool = True

    def validator(self, name: str) -> Draft202012Validator:
        schema = {
            "type": "object",
            "properties": {"type": {"const": name}, "ref": REF_SCHEMA, **self.properties},
            "required": ["type", *self.required],
            "additionalProperties": False,
        }
        Draft202012Validator.check_schema(schema)
        return Draft202012Validator(schema)


# How long a closing socket waits for the actions it already sent to finish.
ACTION_DRAIN_SECONDS = 30

BUSY = "busy"
# The ``error`` frame, as every stream sends it (docs/realtime.md, "Frames from the server").
# ``retry_after_ms`` comes with ``busy`` only: when the client may send the action again.
ERROR_FRAME_SCHEMA = obj(
    {
        "ref": STR,
        "fields": {"type": "object"},
        "current": {"type": "object"},
        "retry_after_ms": INT,
    },
    type=enum("error"),
    code=STR,
    message=STR,
)


class Admission:
    """How much websocket work one process has accepted and not yet answered.

    The rule (docs/realtime.md, "Overload"): a process takes an action only while fewer than
    ``REALTIME["ACTIONS_IN_FLIGHT"]`` of its sockets' actions are queued, running or waiting
    to be applied (a coalesced note move waits for its flush); over that, the socket is
    answered ``busy`` at once. An action that has already waited
    ``REALTIME["ACTION_MAX_WAIT_MS"]`` in its socket's queue when its turn comes is answered
    ``busy`` instead of being run. Either way nothing of it was applied, and the frame's
    ``retry_after_ms`` says when to send it again: how long this process, at the rate it has
    been answering actions lately, needs to work through what it holds (at least 250 ms, at
    most 5 s). What was acknowledged is always applied: admission refuses only before a
    service runs. One instance per process, touched only from the event loop.
    """

    RATE_WINDOW = 1.0  # seconds over which the answer rate is measured

    def __init__(self) -> None:
        self.in_flight = 0
        self.refused = 0
        self.rate = 0.0  # actions answered per second lately (exponential average)
        self._window_start = time.monotonic()
        self._window_count = 0

    def budget(self) -> int:
        return int(settings.REALTIME.get("ACTIONS_IN_FLIGHT", 200))

    def max_wait(self) -> float:
        return float(settings.REALTIME.get("ACTION_MAX_WAIT_MS", 1000)) / 1000

    def full(self) -> bool:
        return self.in_flight >= self.budget()

    def take(self) -> None:
        self.in_flight += 1

    def done(self) -> None:
        """One action answered (acknowledged, refused, or refused as busy)."""
        self.in_flight = max(0, self.in_flight - 1)
        self._window_count += 1
        self._measure(time.monotonic())

    def _measure(self, now: float) -> None:
        elapsed = now - self._window_start
        if elapsed >= self.RATE_WINDOW:
            current = self._window_count / elapsed
            self.rate = current if self.rate == 0 else 0.5 * self.rate + 0.5 * current
            self._window_start, self._window_count = now, 0

    def retry_after_ms(self) -> int:
        self._measure(time.monotonic())
        if self.rate <= 0:
            return 1000
        estimate = 1000 * max(1, self.in_flight) / self.rate
        return int(min(5000, max(250, estimate)))


admission = Admission()

_executor_lock = threading.Lock()
_executors: dict[int, ThreadPoolExecutor] = {}


def in_action_thread(handler: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """``handler`` (sync, touches the database) as an awaitable run off the event loop.

    With ``REALTIME["ACTION_THREADS"]`` > 0 (PostgreSQL), actions from different sockets run
    at once on that many threads, each with a pooled connection, so one action's database
    round trips no longer queue every other socket's behind them. Consistency does not come
    from running one at a time: each service locks the rows it checks and compares versions.
    One socket's actions still run in order (Channels awaits each before reading the next).
    With 0 (SQLite) they share Django's one database thread, as ``database_sync_to_async``.
    """
    threads = int(settings.REALTIME.get("ACTION_THREADS", 0))
    if threads <= 0:
        return database_sync_to_async(handler)
    executor = _executors.get(threads)
    if executor is None:
        with _executor_lock:
            executor = _executors.get(threads)
            if executor is None:
                executor = _executors[threads] = ThreadPoolExecutor(
                    max_workers=threads, thread_name_prefix="realtime-action"
                )
    return DatabaseSyncToAsync(handler, thread_sensitive=False, executor=executor)


def _ref(message: Any) -> str | None:
    """The client's ``ref`` to echo in a reply, if it is short, clean text."""
    ref = message.get("ref") if isinstance(message, dict) else None
    if not isinstance(ref, str) or not ref or refused_character(ref) is not None:
        return None
    return ref[:40]


class TokenBucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def give_back(self) -> None:
        """Return the token of a message the server refused without acting on it."""
        self.tokens = min(self.capacity, self.tokens + 1)


class LiveConsumer(AsyncWebsocketConsumer):
    """Subclass and set ``actions``; implement ``resolve_stream`` and ``build_snapshot``."""

    actions: ClassVar[dict[str, Action]] = {}
    # ValidationError codes a subclass passes on as the frame's ``code`` (e.g. ``stale``);
    # any other ValidationError is sent as ``invalid``.
    error_codes: ClassVar[frozenset[str]] = frozenset()
    _validators: ClassVar[dict[str, Draft202012Validator]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._validators = {name: action.validator(name) for name, action in cls.actions.items()}
        for name, action in cls.actions.items():
            if not callable(getattr(cls, action.handler, None)):
                raise TypeError(f"{cls.__name__}.{action.handler} (for {name!r}) is missing")

    # -- subclass API -------------------------------------------------------------------

    async def resolve_stream(self) -> str | None:
        """The stream this connection follows, from ``self.scope``; None means not found.

        Raise PermissionDenied to refuse a viewer who may not see the stream.
        """
        raise NotImplementedError

    def build_snapshot(self) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        """Plain data describing the stream's current state.

        A plain method runs in Django's database thread (``database_sync_to_async``); a stream
        that needs no database may define ``async def build_snapshot`` instead, which runs on
        the event loop and so costs no thread hop when thousands of sockets connect at once.
        """
        raise NotImplementedError

    async def private_streams(self) -> list[str]:
        """Side streams (``realtime.groups.private_stream``) this connection follows besides
        ``self.stream``: where data only this viewer may see arrives. Asked at connect and
        before every snapshot, so a viewer who gains or loses access follows the right ones
        from their next snapshot on. Cheap: answer from what the consumer already knows."""
        return []

    async def follow_private_streams(self) -> bool:
        """Join the side streams :meth:`private_streams` names now and leave the others;
        True if that changed anything (the client then needs a snapshot naming them)."""
        wanted = list(dict.fromkeys(await self.private_streams()))
        current = getattr(self, "side_streams", [])
        if wanted == current:
            return False
        for name in current:
            if name not in wanted:
                await self.channel_layer.group_discard(group_for(name), self.channel_name)
        for name in wanted:
            if name not in current:
                await self.channel_layer.group_add(group_for(name), self.channel_name)
        self.side_streams = wanted
        return True

    # -- connection lifecycle -----------------------------------------------------------

    @property
    def user(self) -> Any:
        """The signed-in user, or ``AnonymousUser`` (None before the auth middleware ran)."""
        return self.scope.get("user")

    @property
    def is_authenticated(self) -> bool:
        user = self.user
        return bool(user is not None and user.is_authenticated)

    async def _claim_connection_slot(self) -> bool:
        """Count this socket against its account's limit (shared by every process).

        The counter expires ``CONNECTION_COUNT_TTL`` seconds after the account's last connect,
        so a crashed process cannot lock anyone out for longer than that.
        """
        if not self.is_authenticated:
            return True
        key = CONNECTIONS_KEY.format(user_id=self.user.pk)
        ttl = settings.REALTIME["CONNECTION_COUNT_TTL"]
        await cache.aadd(key, 0, timeout=ttl)
        try:
            count = await cache.aincr(key)
        except ValueError:
            # No counter after all: evicted just now, or Redis is unreachable and the cache
            # keeps nothing (config/cache.py). Not counted: the limit fails open.
            return True
        await cache.atouch(key, ttl)
        self._counted = True
        return count <= settings.REALTIME["MAX_CONNECTIONS_PER_ACCOUNT"]

    async def _release_connection_slot(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            with contextlib.suppress(ValueError):  # the counter expired meanwhile
                await cache.adecr(CONNECTIONS_KEY.format(user_id=self.user.pk))

    async def connect(self) -> None:
        self.stream: str | None = None
        limits = settings.REALTIME
        self.bucket = TokenBucket(limits["MESSAGES_PER_SECOND"], int(limits["BURST"]))
        self.violations = 0
        self._actions: asyncio.Queue | None = None
        if not await self._claim_connection_slot():
            await self.refuse(CLOSE_TOO_MANY_CONNECTIONS)
            return
        try:
            stream = await self.resolve_stream()
        except PermissionDenied:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        if stream is None:
            await self.refuse(CLOSE_NOT_FOUND)
            return
        self.stream = stream
        try:
            await self.channel_layer.group_add(group_for(stream), self.channel_name)
        except REDIS_UNREACHABLE:
            # Redis is away: the socket still gets its snapshot, and is joined to its groups
            # and sent a fresh one when Redis returns (realtime.recovery).
            logger.warning("socket not joined to its group: Redis unreachable")
        await self.accept()
        # Joined to the group before the snapshot's number is read: every event after that
        # number reaches this socket, so a snapshot shared with its audience leaves no gap.
        await self.send_shared_snapshot()
        recovery.follow(self)

    async def refuse(self, code: int) -> None:
        """Accept then close with ``code``: a refused handshake would hide the reason."""
        await self._release_connection_slot()
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        recovery.forget(self)
        await self._release_connection_slot()
        await self._finish_actions()
        if self.stream:
            with contextlib.suppress(*REDIS_UNREACHABLE):  # Redis away: nothing to leave
                await self.channel_layer.group_discard(group_for(self.stream), self.channel_name)
        for name in getattr(self, "side_streams", []):
            with contextlib.suppress(*REDIS_UNREACHABLE):
                await self.channel_layer.group_discard(group_for(name), self.channel_name)
        self.side_streams = []

    def followed_stream(self) -> str:
        """``self.stream`` once the connection has found it (anything that runs after
        ``connect`` accepted the socket: snapshots, actions)."""
        if self.stream is None:
            raise RuntimeError("the socket has no stream before it is accepted")
        return self.stream

    def snapshot_key(self) -> Hashable | None:
        """Sockets with the same key are one audience: they share one snapshot, built once
        by :meth:`build_shared_snapshot` and encoded once, when many need one at once (a
        crowd connecting, every socket of a process after Redis returns: ``realtime.recovery``).
        None (the default): this socket's snapshot is its own (:meth:`build_snapshot`).

        A key must name everything the shared data depends on (the stream, a sort, a filter,
        whether the viewer may see concealed parts); what differs per socket within it comes
        from :meth:`snapshot_overlay`."""
        return None

    def build_shared_snapshot(self) -> dict[str, Any] | Awaitable[dict[str, Any]]:
        """The data every socket of :meth:`snapshot_key`'s audience may see, built by
        whichever of them asks first and sent to all: nothing of this socket's viewer may be
        in it. The default is :meth:`build_snapshot`, for streams whose snapshot is the same
        for every viewer."""
        return self.build_snapshot()  # (called as build_snapshot: see audience_frame)

    async def snapshot_overlay(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """This socket's own parts of a shared snapshot: keys of ``data`` to replace (for
        example the ideas the viewer supports, among those ``data`` shows). ``{}`` (the
        default): nothing of its own. None: this socket needs a snapshot of its own after all
        (:meth:`build_snapshot`), for example because the shared data turned out to conceal
        something it may see."""
        return {}

    async def side_stream_sequences(self) -> dict[str, int]:
        """Join the side streams :meth:`private_streams` names; the number of each, read
        before the snapshot's data as ``seq`` is, so the client checks them for gaps too."""
        try:
            await self.follow_private_streams()
        except REDIS_UNREACHABLE:  # joined again when Redis returns (realtime.recovery)
            logger.warning("socket not joined to its side streams: Redis unreachable")
        return {name: await acurrent_sequence(name) for name in getattr(self, "side_streams", [])}

    async def _built(self, build: Callable[[], Any]) -> dict[str, Any]:
        if inspect.iscoroutinefunction(build):
            return await cast(Awaitable[dict[str, Any]], build())
        return await database_sync_to_async(build)()

    async def audience_frame(self) -> dict[str, Any]:
        """The shared snapshot frame of this socket's audience (:meth:`snapshot_key`): the
        stream's number, then the data, read after it."""
        seq = await acurrent_sequence(self.followed_stream())
        overridden = type(self).build_shared_snapshot is not LiveConsumer.build_shared_snapshot
        data = await self._built(self.build_shared_snapshot if overridden else self.build_snapshot)
        return {"type": "snapshot", "stream": self.stream, "seq": seq, "data": data}

    async def snapshot_frame(self) -> dict[str, Any]:
        """This socket's own snapshot frame: ``seq`` of the stream and, when the connection
        follows side streams, ``streams`` with the sequence number of each (read before the
        data, as ``seq``), so the client checks every stream's events for gaps."""
        seqs = await self.side_stream_sequences()
        seq = await acurrent_sequence(self.followed_stream())
        data = await self._built(self.build_snapshot)
        frame: dict[str, Any] = {"type": "snapshot", "stream": self.stream, "seq": seq}
        if seqs:
            frame["streams"] = seqs
        frame["data"] = data
        return frame

    async def send_snapshot(self) -> None:
        """Send this socket's own snapshot; a viewer who may no longer see the stream (their
        access was re-checked while building it) is closed with 4403."""
        try:
            frame = await self.snapshot_frame()
        except PermissionDenied:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json(frame)

    async def send_shared_snapshot(self) -> None:
        """The snapshot on connect and for a ``resync`` (the client's, or every socket's when
        Redis returns): shared by sockets with the same :meth:`snapshot_key`, each with its
        own :meth:`snapshot_overlay` (``realtime.recovery.shared_snapshot``)."""
        try:
            text = await recovery.shared_snapshot(self)
        except PermissionDenied:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send(text_data=text)

    async def realtime_resync(self, message: dict) -> None:
        """Sent to every socket of a process when Redis returns (``realtime.recovery``).

        Handled in this socket's own message order, so no event numbered after the snapshot
        has gone out before it. Sockets with the same :meth:`snapshot_key` share one
        snapshot while the stream's number has not moved since it was built (as for a
        client's ``resync``).
        """
        await self.send_shared_snapshot()

    async def dispatch(self, message: dict) -> None:
        # Channels runs close_old_connections() through sync_to_async before *every* handler:
        # a hop through the one shared worker thread. Fanning an event out to N sockets
        # queued N hops, and a connect storm queued one per socket before its handshake
        # (docs/performance.md). This consumer touches the database only through
        # database_sync_to_async (snapshots, sync action handlers), which closes stale
        # connections itself, so the hop is skipped for every message.
        await self._handle(message)
        if message["type"] != "realtime.event":
            return
        # Events already waiting for this socket go out in this same turn of the loop: their
        # frames leave in one write instead of one write (and three system calls) each, and
        # skip Channels' task-and-wait per message. Under load this is what lets a socket
        # catch up; without it a busy co-design board fell further behind every second
        # (docs/performance.md, co-design).
        for _taken in range(BATCH_MAX):
            waiting = self._take_waiting()
            if waiting is None:
                return
            await self._handle(waiting)

    async def _handle(self, message: dict) -> None:
        if message["type"] == "realtime.event":  # the hot path: one event, many sockets
            await self.realtime_event(message)
            return
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def _take_waiting(self) -> dict | None:
        """The next message already queued for this socket, without waiting; None if there is
        none or the channel layer does not show its queue (only channels-redis's pub/sub layer,
        the shipped one, does: a per-socket ``asyncio.Queue`` of serialised messages)."""
        layer = self.channel_layer
        if not isinstance(layer, RedisPubSubChannelLayer):
            return None
        queue = layer._get_layer().channels.get(self.channel_name)
        if queue is None or queue.empty():
            return None
        return layer.deserialize(queue.get_nowait())

    async def realtime_event(self, message: dict) -> None:
        await self.send(text_data=client_frame(message))

    # -- inbound ------------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=json.dumps(content, separators=(",", ":"), default=str))

    async def send_error(
        self,
        code: str,
        message: str,
        ref: str | None = None,
        fields: dict | None = None,
        current: dict | None = None,
        retry_after_ms: int | None = None,
    ) -> None:
        """``current``: the object's present state, for a ``stale`` error (set by a handler on
        the ValidationError it raises, as ``exc.current``). ``retry_after_ms``: for ``busy``,
        when to send the action again. The frame follows :data:`ERROR_FRAME_SCHEMA`."""
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if ref:
            frame["ref"] = ref
        if fields:
            frame["fields"] = fields
        if current is not None:
            frame["current"] = current
        if retry_after_ms is not None:
            frame["retry_after_ms"] = retry_after_ms
        await self.send_json(frame)

    async def send_busy(self, ref: str | None) -> None:
        """Refuse an action this process cannot take now (nothing of it was applied).

        The message's token goes back to the socket's bucket: the server asked for it to be
        sent again, so a client that resends after ``retry_after_ms`` is never closed for
        sending too fast because the server was busy."""
        admission.refused += 1
        self.bucket.give_back()
        await self.send_error(
            BUSY,
            _(
                "Too many changes at once: this one was not saved. It can be sent again in a moment."
            ),
            ref,
            retry_after_ms=admission.retry_after_ms(),
        )

    async def take_action(self, name: str, payload: dict, ref: str | None) -> bool:
        """Handle an admitted action without the socket's ordered queue; True if handled.

        For subclasses that apply some actions in batches (co-design note moves): the action
        counts as in flight (``admission.take()`` was called) until the subclass calls
        ``admission.done()`` once it has answered it."""
        return False

    async def violation(self, code: str, message: str, ref: str | None = None) -> None:
        self.violations += 1
        await self.send_error(code, message, ref)
        if self.violations >= settings.REALTIME["VIOLATIONS_BEFORE_CLOSE"]:
            await self.close(code=CLOSE_RATE_LIMITED)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is not None or text_data is None:
            await self.violation("unsupported", _("Send JSON text, not binary frames."))
            return
        if len(text_data.encode()) > settings.REALTIME["MAX_MESSAGE_BYTES"]:
            # Not parsed; a ref written first is still answered, so the form that sent it
            # shows the error and can be used again (it waited for ever before).
            head = LEADING_REF.match(text_data[:80])
            await self.violation(
                "too_large",
                _("That is too long to send. Shorten it and try again."),
                head.group(1) if head else None,
            )
            return
        if not self.bucket.take():
            await self.violation("rate_limited", _("You are sending too fast; slow down."))
            return
        try:
            # Before any schema or service: NUL, lone surrogates and control characters
            # would reach the database driver; deep nesting would exhaust the parser.
            message = loads_json(text_data)
        except InputRefused as refused:
            fields = {refused.field or "message": refused.message}
            await self.send_error(
                "invalid", _("The message is not valid."), _ref(refused.data), fields
            )
            return
        except ValueError:
            await self.send_error("malformed", _("Messages must be JSON objects."))
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("malformed", _("Messages must be JSON objects with a type."))
            return
        ref = _ref(message)
        name = message["type"]
        if name == "resync":
            await self.send_shared_snapshot()
            return
        action = self.actions.get(name)
        if action is None:
            await self.send_error("unknown_type", _("Unknown message type."), ref)
            return
        errors = sorted(self._validators[name].iter_errors(message), key=lambda e: list(e.path))
        if errors:
            fields = {
                (".".join(str(p) for p in e.path) or "message"): e.message for e in errors[:5]
            }
            await self.send_error("invalid", _invalid_message(errors, message), ref, fields)
            return
        if action.requires_auth and not self.is_authenticated:
            await self.send_error("auth_required", _("Sign in to do that."), ref)
            return
        payload = {k: v for k, v in message.items() if k not in {"type", "ref"}}
        if admission.full():
            await self.send_busy(ref)
            return
        admission.take()
        try:
            taken = await self.take_action(name, payload, ref)
        except BaseException:
            admission.done()
            raise
        if taken:
            return
        # Run it behind this socket's earlier actions, but not in the way of its events: an
        # action awaited here would hold every event for this socket until it finished, so
        # under load each board showed other people's changes only as fast as its own
        # actions completed (docs/performance.md, co-design).
        if self._actions is None:
            self._actions = asyncio.Queue()
            self._action_worker = asyncio.ensure_future(self._run_actions(self._actions))
        self._actions.put_nowait((name, action, payload, ref, time.monotonic()))

    async def _run_actions(self, actions: asyncio.Queue) -> None:
        while True:
            name, action, payload, ref, queued_at = await actions.get()
            started = time.monotonic()
            try:
                if started - queued_at >= admission.max_wait():
                    # Waited too long already: refused before any service ran, so nothing
                    # queues for minutes behind an overloaded process.
                    await self.send_busy(ref)
                else:
                    await self._run_action(name, action, payload, ref)
            except Exception:  # a broken send must not stop the socket's later actions
                logger.exception("realtime action delivery failed", extra={"action": name})
            finally:
                admission.done()
                actions.task_done()

    async def _finish_actions(self) -> None:
        """On disconnect: actions already received still complete (nothing sent is lost)."""
        actions = getattr(self, "_actions", None)
        if actions is None:
            return
        try:
            await asyncio.wait_for(actions.join(), ACTION_DRAIN_SECONDS)
        except TimeoutError:
            logger.warning("realtime actions still running at disconnect")
        self._action_worker.cancel()
        while not actions.empty():  # never started: no longer counted as in flight
            actions.get_nowait()
            admission.done()
        self._actions = None

    async def action_done(self, name: str) -> None:
        """Called after each action (acknowledged or refused); for subclasses."""

    async def _run_action(self, name: str, action: Action, payload: dict, ref: str | None) -> None:
        try:
            await self._call_action(name, action, payload, ref)
        finally:
            await self.action_done(name)

    async def _call_action(self, name: str, action: Action, payload: dict, ref: str | None) -> None:
        handler = getattr(self, action.handler)
        if not inspect.iscoroutinefunction(handler):
            handler = in_action_thread(handler)
        try:
            result = await handler(**payload)
        except Exception as exc:
            await self.answer(name, ref, error=exc)
            return
        await self.answer(name, ref, result)

    async def answer(
        self, name: str, ref: str | None, result: Any = None, *, error: Exception | None = None
    ) -> None:
        """The ``ack`` of action ``name``, or the ``error`` frame its refusal ``error`` stands
        for (``PermissionDenied`` → ``forbidden``, ``ValidationError`` → its code if listed in
        ``error_codes`` else ``invalid``, ``ObjectDoesNotExist`` → ``not_found``, anything
        else → ``server_error``, logged)."""
        if isinstance(error, PermissionDenied):
            await self.send_error("forbidden", str(error) or _("You may not do that."), ref)
            return
        if isinstance(error, ValidationError):
            code = getattr(error, "code", None)
            code = code if code in self.error_codes else "invalid"
            message = " ".join(error.messages) or _("That is not valid.")
            await self.send_error(code, message, ref, current=getattr(error, "current", None))
            return
        if isinstance(error, ObjectDoesNotExist):
            await self.send_error("not_found", _("That no longer exists."), ref)
            return
        if error is not None:
            logger.error("realtime action failed", exc_info=error, extra={"action": name})
            await self.send_error("server_error", _("Something went wrong; nothing changed."), ref)
            return
        ack: dict[str, Any] = {"type": "ack", "action": name}
        if ref:
            ack["ref"] = ref
        if result is not None:
            ack["result"] = result
        await self.send_json(ack)
