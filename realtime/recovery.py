"""Live clients catch up when Redis comes back.

While Redis is unreachable a web process keeps its sockets open, but no event reaches them:
a service's publish after commit fails (logged, the write stands) and the pub/sub connection
is down. Redis may also come back empty (restarted without persistence), its sequence
numbers starting again from 1. So each web process watches its channel layer while it has
live sockets: once a second it asks Redis for a ``PING``, and when Redis answers again after
failing, it sends every socket of the process a fresh snapshot, as a client's ``resync``
would: through the socket's own channel, so the snapshot goes out in order with the events
(none numbered after it before it), and built once per group of sockets that see the same. Clients (``live.js``) take a snapshot as the new state whatever its number, so every
one equals the database again without waiting for the next event.

Streams whose events this process could not send have their sequence numbers moved on first
(:func:`realtime.events.catch_up`), so pages cached under the old numbers are rebuilt.
Sockets that connected while Redis was away could not join their stream's group; they are
joined again first. Only Redis-backed layers are watched (the in-memory layer cannot fail).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from channels.layers import BaseChannelLayer, get_channel_layer

from realtime.events import REDIS_OR_NETWORK_DOWN, _missed, acurrent_sequence, catch_up
from realtime.groups import group_for

if TYPE_CHECKING:
    from realtime.consumers import LiveConsumer

logger = logging.getLogger(__name__)

# Seconds between two checks of the channel layer, and the longest a check may take.
CHECK_EVERY = 1.0
CHECK_TIMEOUT = 2.0

_live: weakref.WeakSet[LiveConsumer] = weakref.WeakSet()
_watchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task] = (
    weakref.WeakKeyDictionary()
)


def _watched(layer: BaseChannelLayer | None) -> bool:
    try:
        from channels_redis.core import RedisChannelLayer
        from channels_redis.pubsub import RedisPubSubChannelLayer
    except ImportError:  # pragma: no cover - development without channels-redis
        return False
    return isinstance(layer, RedisPubSubChannelLayer | RedisChannelLayer)


def follow(consumer: LiveConsumer) -> None:
    """Remember a socket that has its snapshot; starts this loop's watcher if needed."""
    _live.add(consumer)
    layer = get_channel_layer()
    if not _watched(layer):
        return
    loop = asyncio.get_running_loop()
    task = _watchers.get(loop)
    if task is None or task.done():
        _watchers[loop] = loop.create_task(_watch(layer), name="realtime-recovery")


def forget(consumer: LiveConsumer) -> None:
    _live.discard(consumer)


async def ping(layer: BaseChannelLayer) -> None:
    """Raise unless the channel layer's Redis answers."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    if isinstance(layer, RedisPubSubChannelLayer):
        for shard in layer._get_layer()._shards:
            shard._ensure_redis()
            await shard._redis.ping()
    else:
        async with layer.connection(0) as connection:
            await connection.ping()


async def _subscribe_again(layer: BaseChannelLayer) -> None:
    """Subscribe the process's groups and channels again, now, on the pub/sub connection.

    redis-py subscribes them again by itself when its receive loop next reconnects, but
    events published before that are lost for this process without a trace; asking
    explicitly leaves no such window. Repeating a subscription is harmless.
    """
    from channels_redis.pubsub import RedisPubSubChannelLayer

    if not isinstance(layer, RedisPubSubChannelLayer):
        return
    for shard in layer._get_layer()._shards:
        async with shard._lock:
            if shard._subscribed_to and shard._pubsub is not None:
                await shard._pubsub.subscribe(*shard._subscribed_to)


def _deliver_locally(consumer: LiveConsumer, message: dict) -> bool:
    """Put ``message`` straight into the socket's queue in this process (the pub/sub layer
    keeps one per channel), in order with the events already waiting there."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    layer = consumer.channel_layer
    if not isinstance(layer, RedisPubSubChannelLayer):
        return False
    queue = layer._get_layer().channels.get(consumer.channel_name)
    if queue is None:
        return False
    queue.put_nowait(layer.serialize(message))
    return True


async def _watch(layer: BaseChannelLayer) -> None:
    down = False
    while True:
        await asyncio.sleep(CHECK_EVERY)
        if not _live:
            continue
        try:
            await asyncio.wait_for(ping(layer), CHECK_TIMEOUT)
        except REDIS_OR_NETWORK_DOWN as exc:  # wait_for's TimeoutError is an OSError too
            if not down:
                logger.warning(
                    "channel layer unreachable: live sockets resync when it returns",
                    extra={"error": str(exc), "sockets": len(_live)},
                )
            down = True
            continue
        except Exception:  # never let the watcher die
            logger.exception("channel layer check failed")
            continue
        if not down and _missed:
            # Events this process could not send although Redis answers (a dropped
            # connection): move their streams on and resync this process's sockets on them.
            streams = set(await asyncio.to_thread(catch_up))
            if streams:
                await resync_all(streams)
            continue
        if down:
            down = False
            try:
                await asyncio.wait_for(_subscribe_again(layer), CHECK_TIMEOUT)
            except Exception:  # down again: the next check sees it
                logger.warning("channel layer back but not subscribed again", exc_info=True)
                down = True
                continue
            await asyncio.to_thread(catch_up)
            await resync_all()


@dataclass
class _Shared:
    frame: dict | None = None
    text: str = ""  # the frame, encoded once
    stems: dict[frozenset[str], str] = field(default_factory=dict)  # see _with_overlay
    built_at: float = 0.0
    task: asyncio.Task[dict] | None = None  # the build in flight
    number: int = 0  # builds started so far; ``task`` is build number ``number``
    builds: int = 0  # builds finished (for tests and logs)


# Snapshots shared by sockets with the same snapshot key, per event loop and key: the last
# frame built (reused only while its stream's number is unchanged, and for SHARED_FOR seconds
# at most: changes that publish no event, such as a renamed tag, then show soon after) and the
# build in flight, which every socket that needs it awaits instead of building its own.
_shared: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Hashable, _Shared]] = (
    weakref.WeakKeyDictionary()
)
SHARED_FOR = 2.0
SHARED_MAX = 1000


async def resync_all(streams: set[str] | None = None) -> int:
    """Join every live socket of this process to its group again and ask each for a fresh
    snapshot, through its own channel so it goes out in order with its events; returns how
    many were asked."""
    consumers = [
        c
        for c in _live
        if streams is None
        or c.stream in streams
        or not streams.isdisjoint(getattr(c, "side_streams", ()))
    ]
    asked = 0
    for consumer in consumers:
        try:
            for name in [consumer.stream, *getattr(consumer, "side_streams", ())]:
                if name:
                    await consumer.channel_layer.group_add(group_for(name), consumer.channel_name)
            message = {"type": "realtime.resync"}
            if not _deliver_locally(consumer, message):
                await consumer.channel_layer.send(consumer.channel_name, message)
            asked += 1
        except Exception:  # Redis gone again, or the socket closing: a gap resyncs it later
            logger.warning("resync after Redis returned not asked for one socket")
    logger.warning(
        "channel layer back: live sockets asked to resync",
        extra={"sockets": asked, "of": len(consumers)},
    )
    return asked


def encode(frame: dict) -> str:
    """A frame as the text a socket sends (``LiveConsumer.send_json``'s encoding)."""
    return json.dumps(frame, separators=(",", ":"), default=str)


def _entry(loop: asyncio.AbstractEventLoop, key: Hashable) -> _Shared:
    entries = _shared.setdefault(loop, {})
    if len(entries) > SHARED_MAX:  # forget frames too old to be reused
        now = loop.time()
        for stale in [
            k for k, e in entries.items() if e.task is None and now - e.built_at >= SHARED_FOR
        ]:
            del entries[stale]
    return entries.setdefault(key, _Shared())


def _start_build(entry: _Shared, consumer: LiveConsumer) -> asyncio.Task[dict]:
    """Build the audience's frame once, in a task of its own: a socket that closes while it
    runs (Channels cancels its handler) cancels neither the build nor the others' wait."""
    loop = asyncio.get_running_loop()
    entry.number += 1
    task = loop.create_task(consumer.audience_frame(), name="realtime-shared-snapshot")

    def done(task: asyncio.Task[dict]) -> None:
        if entry.task is task:
            entry.task = None
        if task.cancelled() or task.exception() is not None:
            return
        frame = task.result()
        entry.frame, entry.text, entry.stems = frame, encode(frame), {}
        entry.built_at = loop.time()
        entry.builds += 1

    task.add_done_callback(done)
    entry.task = task
    return task


def _with_overlay(entry: _Shared, frame: dict, overlay: dict, streams: dict) -> str:
    """The shared frame's text with this socket's own parts: ``overlay`` replaces those keys
    of ``data``; ``streams`` are its side streams' numbers. The shared part is encoded once
    per entry (without the overlaid keys), each socket adds only its few bytes."""
    if not overlay and not streams:
        return entry.text if entry.frame is frame else encode(frame)
    keys = frozenset(overlay)
    stem = entry.stems.get(keys) if entry.frame is frame else None
    if stem is None:
        data = {k: v for k, v in frame["data"].items() if k not in keys}
        stem = encode({**frame, "data": data})[:-2]  # open inside ``data``
        if data:
            stem += ","
        if entry.frame is frame:
            entry.stems[keys] = stem
    parts = [stem, encode(overlay)[1:-1], "}"]
    if streams:
        parts.append(',"streams":' + encode(streams))
    parts.append("}")
    return "".join(parts)


async def _frame_for(entry: _Shared, consumer: LiveConsumer, seq: int, *, seen: int) -> dict:
    """A shared frame this socket may take, having read ``seq`` when ``seen`` builds had
    been started (see :func:`shared_snapshot`)."""
    loop = asyncio.get_running_loop()
    while True:
        cached = entry.frame
        if (
            cached is not None
            and cached["seq"] == seq
            and loop.time() - entry.built_at < SHARED_FOR
        ):
            return cached
        task = entry.task
        if task is None or task.done():
            # No build in flight. A finished one whose done callback has not run yet counts
            # as none: awaiting a finished task does not yield to the event loop, so waiting
            # on it again would spin here for ever and the callback would never run (a web
            # process stopped answering this way in the co-design benchmark).
            return await asyncio.shield(_start_build(entry, consumer))
        after = entry.number > seen
        built = await asyncio.shield(task)
        if after or built["seq"] == seq:
            return built
        # Built under an older number than this socket read (an event came between): round
        # again; the first socket back starts one build that every other one awaits.


async def shared_snapshot(consumer: LiveConsumer) -> str:
    """The snapshot frame for ``consumer``, as text, on connect and when it asks in its own
    message order (a client's ``resync``, or every socket after Redis returns, when hundreds
    ask at once).

    Sockets with the same :meth:`~realtime.consumers.LiveConsumer.snapshot_key` (an audience:
    everyone who may see exactly the same) share one frame, built once by
    :meth:`~realtime.consumers.LiveConsumer.build_shared_snapshot` and encoded once; each
    socket adds only its :meth:`~realtime.consumers.LiveConsumer.snapshot_overlay` (what is
    its own, such as the ideas it supports) and its side streams' numbers.

    Why a frame built for another socket holds no gap for this one: the socket joined its
    stream's group before this runs, then reads the stream's number ``seq``. Every event
    numbered after ``seq`` is published after that read, so after the group was joined, and
    reaches this socket. A frame is taken if it was built under ``seq`` exactly (it holds
    everything up to ``seq``: its data is read after its number), or if its build started
    after ``seq`` was read (its number is then ``seq`` or later, and the events between reach
    this socket too and are dropped as already applied). Anything else is built again, once
    for every socket waiting.
    """
    key = consumer.snapshot_key()
    if key is None:
        return encode(await consumer.snapshot_frame())
    streams = await consumer.side_stream_sequences()
    seq = await acurrent_sequence(consumer.followed_stream())
    loop = asyncio.get_running_loop()
    entry = _entry(loop, key)
    frame = await _frame_for(entry, consumer, seq, seen=entry.number)
    overlay = await consumer.snapshot_overlay(frame["data"])
    if overlay is None:  # this socket needs a snapshot of its own after all
        return encode(await consumer.snapshot_frame())
    return _with_overlay(entry, frame, overlay, streams)
