"""Event types, the envelope and the one publish helper.

Apps declare each event type once (``declare("idea.created", "…")``) in their own
``events.py``; :func:`publish` refuses undeclared types. A service calls :func:`publish`
inside its transaction: the payload is serialised *now* (a bad payload fails where it is
made) and sent to the stream's group only on ``transaction.on_commit``, so a rolled-back write
broadcasts nothing. Each sent event carries the next sequence number of its stream, so a
client that sees a gap asks for a snapshot again.

Numbering and sending are one step, so every client sees a stream's events in sequence
order, whichever process published them:

* With Redis (the pub/sub channel layer and the Redis cache on the same server, as
  configured from ``REDIS_URL``) a small Lua script ``INCR``s the stream's counter and
  ``PUBLISH``es the already-serialised message with that number spliced in, atomically in
  Redis. Two processes publishing at once can no longer send their numbers in the opposite
  order (measured before: thousands of out-of-order arrivals per burst with two processes,
  docs/performance.md). It is also one native async round trip, not two cache calls through
  Django's single sync thread.
* Otherwise (the in-memory layer in development and tests, or the core Redis layer) the
  counter is taken and the message sent under a per-process lock, which orders one process's
  events; across processes only the Redis path is ordered.

Delivery is best effort: if the channel layer is down the write still stands (it is already
committed); the failure is logged and clients catch up from the snapshot on reconnect.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import weakref
from dataclasses import dataclass, field
from hashlib import sha1
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_redis import get_redis_connection
from jsonschema import Draft202012Validator

from realtime.groups import group_for
from realtime.schema import STR, Schema, obj

logger = logging.getLogger(__name__)

SEQUENCE_KEY = "rt:seq:{stream}"

try:  # what "Redis cannot be reached" raises (channels-redis is optional in development)
    from redis.exceptions import ConnectionError as _RedisConnectionError
    from redis.exceptions import TimeoutError as _RedisTimeoutError

    REDIS_UNREACHABLE: tuple[type[Exception], ...] = (_RedisConnectionError, _RedisTimeoutError)
except ImportError:  # pragma: no cover
    REDIS_UNREACHABLE = ()
# ... or, more broadly, any failure to reach it over the network.
REDIS_OR_NETWORK_DOWN: tuple[type[Exception], ...] = (*REDIS_UNREACHABLE, OSError)


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    schema: Schema
    validator: Draft202012Validator = field(compare=False, repr=False)


_registry: dict[str, EventType] = {}


def declare(name: str, description: str, *, schema: Schema) -> str:
    """Declare an event type with the JSON Schema of its ``data``; returns its name.

    The schema (written with :mod:`realtime.schema`) is the contract clients rely on:
    :func:`publish` checks every payload against it in development and tests, and
    docs/realtime.md must list every declared type (``tests/test_event_schemas.py``).
    """
    Draft202012Validator.check_schema(schema)
    existing = _registry.get(name)
    if existing and (existing.description, existing.schema) != (description, schema):
        raise ValueError(f"event type {name!r} declared twice differently")
    _registry[name] = EventType(name, description, schema, Draft202012Validator(schema))
    return name


def declared() -> dict[str, EventType]:
    return dict(_registry)


class EventSchemaError(ValueError):
    """A payload does not match its event type's declared schema (a programming error)."""


def _checking() -> bool:
    """Payloads are checked in development and tests (``DEBUG`` or ``REALTIME_CHECK_EVENTS``),
    never in production, where a publish must not pay for a validation."""
    return bool(getattr(settings, "REALTIME_CHECK_EVENTS", False) or settings.DEBUG)


def check_payload(type_: str, data_json: str) -> None:
    """Raise :class:`EventSchemaError` if the serialised ``data`` breaks ``type_``'s schema."""
    event = _registry[type_]
    error = next(iter(event.validator.iter_errors(json.loads(data_json))), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "data"
        raise EventSchemaError(f"{type_}: {where}: {error.message}")


HEALTH_PONG = declare(
    "health.pong",
    "Answer to a health ping, naming the process that sent it.",
    schema=obj(nonce=STR, process=STR),
)


# -- the shared Redis path -----------------------------------------------------------------

# KEYS[1]: the stream's counter (a cache key); KEYS[2]: the group's pub/sub channel.
# ARGV[1], ARGV[2]: the msgpack message before and after its "seq" value. The number is
# written as a msgpack uint64 (0xcf + 8 bytes, big-endian), the form the placeholder had.
PUBLISH_SCRIPT = """
local seq = redis.call('INCR', KEYS[1])
local bytes = {}
local n = seq
for i = 8, 1, -1 do
  bytes[i] = n % 256
  n = math.floor(n / 256)
end
redis.call('PUBLISH', KEYS[2], ARGV[1] .. string.char(0xcf, unpack(bytes)) .. ARGV[2])
return seq
"""
PUBLISH_SCRIPT_SHA = sha1(PUBLISH_SCRIPT.encode()).hexdigest()  # noqa: S324 (Redis's id)

# A placeholder "seq" whose msgpack form (0xcf fe dc ba 98 76 54 32 10) cannot occur inside
# a string of the message (0xfe is never valid UTF-8) and is far above any real id.
SEQ_PLACEHOLDER = 0xFEDCBA9876543210
_PLACEHOLDER_BYTES = b"\xcf\xfe\xdc\xba\x98\x76\x54\x32\x10"


def _redis_path(layer: BaseChannelLayer | None) -> bool:
    """True when numbering and publishing can be one Redis step (see the module docstring).

    Needs channels-redis's pub/sub layer with its plain msgpack serialiser (no encryption or
    random prefix: the script splices bytes) on one Redis server, and the django-redis cache
    (whose counter keys the script increments; both are built from ``REDIS_URL``).
    """
    # Not getattr(): the pub/sub layer answers unknown attributes from its per-loop layer,
    # which needs a running event loop, and services call this from threads without one.
    cached = vars(layer).get("_rt_atomic") if layer is not None else False
    if cached is not None:
        return cached
    ok = False
    try:
        from channels_redis.pubsub import RedisPubSubChannelLayer
        from django_redis.cache import RedisCache

        serializer: Any = getattr(layer, "_serializer", None)
        ok = (
            isinstance(layer, RedisPubSubChannelLayer)
            and isinstance(caches["default"], RedisCache)
            and type(serializer).__name__ == "MsgPackSerializer"
            and serializer.crypter is None
            and not serializer.random_prefix_length
            and len(layer._kwargs.get("hosts") or [None]) == 1
            and layer.serialize({"seq": SEQ_PLACEHOLDER}).endswith(_PLACEHOLDER_BYTES)
        )
    except ImportError:  # channels-redis not installed: development without Redis
        ok = False
    if layer is not None:
        layer._rt_atomic = ok
    return ok


# Commands this module runs at once per event loop on channels-redis's connection pool. The
# pool holds at most 100 connections and redis-py 8 raises "Too many connections" instead of
# waiting, so a connect storm's sequence reads must queue here rather than in the pool.
REDIS_CONCURRENCY = 32


def _shard_client(layer: BaseChannelLayer, group_channel: str) -> tuple[asyncio.Semaphore, Any]:
    """The async Redis client channels-redis uses for ``group_channel`` on this event loop,
    and the semaphore that bounds this module's use of its pool."""
    loop_layer = layer._get_layer()
    shard = loop_layer._get_shard(group_channel)
    shard._ensure_redis()
    limit = getattr(shard, "_rt_limit", None)
    if limit is None:
        limit = shard._rt_limit = asyncio.Semaphore(REDIS_CONCURRENCY)
    return limit, shard._redis


async def _publish_atomically(layer: BaseChannelLayer, stream: str, message: dict) -> int:
    from redis.exceptions import NoScriptError

    loop_layer = layer._get_layer()
    group_channel = loop_layer._get_group_channel_name(group_for(stream))
    limit, client = _shard_client(layer, group_channel)
    payload = layer.serialize({"seq": SEQ_PLACEHOLDER, **message})
    head, found, tail = payload.partition(_PLACEHOLDER_BYTES)
    if not found:  # pragma: no cover - guarded by _redis_path
        raise RuntimeError("sequence placeholder not found in the serialised message")
    keys = (cache.make_and_validate_key(SEQUENCE_KEY.format(stream=stream)), group_channel)
    async with limit:
        try:
            seq = await client.evalsha(PUBLISH_SCRIPT_SHA, 2, *keys, head, tail)
        except NoScriptError:
            seq = await client.eval(PUBLISH_SCRIPT, 2, *keys, head, tail)
    return int(seq)


# -- the per-process path ------------------------------------------------------------------

_loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _loop_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _loop_locks.get(loop)
    if lock is None:
        lock = _loop_locks[loop] = asyncio.Lock()
    return lock


def next_sequence(stream: str) -> int:
    key = SEQUENCE_KEY.format(stream=stream)
    cache.add(key, 0, timeout=None)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 0, timeout=None)
        return cache.incr(key)


async def _anext_sequence(stream: str) -> int:
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):  # in-process dict: no I/O, no thread hop needed
        return next_sequence(stream)
    key = SEQUENCE_KEY.format(stream=stream)
    await cache.aadd(key, 0, timeout=None)
    return await cache.aincr(key)


async def _publish_in_process(layer: BaseChannelLayer, stream: str, message: dict) -> int:
    async with _loop_lock():
        seq = await _anext_sequence(stream)
        await layer.group_send(group_for(stream), {**message, "seq": seq})
    return seq


# -- reading the sequence ------------------------------------------------------------------


def current_sequence(stream: str) -> int:
    """Sequence of the last event sent on ``stream``; read it *before* building a snapshot."""
    return int(cache.get(SEQUENCE_KEY.format(stream=stream), 0))


def current_sequences(streams: list[str]) -> dict[str, int]:
    """:func:`current_sequence` of several streams in one cache round trip.

    A stream's number advances after commit with every event sent on it, so it also serves as
    the version of whatever the stream's events describe (cached pages key on it).
    """
    keys = {stream: SEQUENCE_KEY.format(stream=stream) for stream in streams}
    found = cache.get_many(list(keys.values()))
    return {stream: int(found.get(key, 0)) for stream, key in keys.items()}


async def acurrent_sequence(stream: str) -> int:
    """Async twin of :func:`current_sequence`, for consumers (no blocking I/O on the loop).

    On the Redis path this is one native async ``GET`` on the channel layer's connection,
    not a hop through Django's single sync thread (which serialised connect storms).

    While Redis is unreachable the number is 0, as the cache then answers (config/cache.py):
    a snapshot still goes out, and the client resyncs on the first event after Redis returns
    (a gap), or when the process sees Redis back (:mod:`realtime.recovery`).
    """
    layer = get_channel_layer()
    key = SEQUENCE_KEY.format(stream=stream)
    if layer is not None and _redis_path(layer):
        try:
            loop_layer = layer._get_layer()
            group_channel = loop_layer._get_group_channel_name(group_for(stream))
            limit, client = _shard_client(layer, group_channel)
            async with limit:
                value = await client.get(cache.make_and_validate_key(key))
        except REDIS_OR_NETWORK_DOWN:
            logger.warning("sequence unknown: Redis unreachable", extra={"stream": stream})
            return 0
        return int(value or 0)
    return int(await cache.aget(key, 0))


# -- publishing ----------------------------------------------------------------------------


def _encode(data: dict[str, Any]) -> str:
    if not isinstance(data, dict):
        raise TypeError("event data must be a dict of plain values")
    return json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False)


def _message(stream: str, type_: str, object_id: Any, data_json: str) -> dict:
    """The channel-layer message; ``seq`` is added when it is numbered and sent."""
    return {
        "type": "realtime.event",
        "stream": stream,
        "event": type_,
        "id": object_id,
        "data_json": data_json,
        "at": timezone.now().isoformat(),
    }


async def _asend(stream: str, message: dict) -> int:
    """Number ``message`` and send it to the stream's group as one step; returns the number."""
    layer = get_channel_layer()
    if _redis_path(layer):
        return await _publish_atomically(layer, stream, message)
    return await _publish_in_process(layer, stream, message)


def _publish_atomically_sync(layer: BaseChannelLayer, stream: str, message: dict) -> int:
    """:func:`_publish_atomically` from synchronous code, on the cache's Redis client.

    Services publish from a worker thread after their transaction commits; handing each event
    to the event loop (``async_to_sync``) cost the thread a wait for the loop and the loop the
    Redis round trip, about a seventh of a busy co-design server (docs/performance.md). The
    script, keys and bytes are the same, so both paths number one stream together.
    """
    from redis.exceptions import NoScriptError

    prefix = layer._kwargs.get("prefix") or "asgi"
    group_channel = f"{prefix}__group__{group_for(stream)}"
    payload = layer.serialize({"seq": SEQ_PLACEHOLDER, **message})
    head, found, tail = payload.partition(_PLACEHOLDER_BYTES)
    if not found:  # pragma: no cover - guarded by _redis_path
        raise RuntimeError("sequence placeholder not found in the serialised message")
    keys = (cache.make_and_validate_key(SEQUENCE_KEY.format(stream=stream)), group_channel)
    client = get_redis_connection("default", write=True)
    try:
        seq = client.evalsha(PUBLISH_SCRIPT_SHA, 2, *keys, head, tail)
    except NoScriptError:
        seq = client.eval(PUBLISH_SCRIPT, 2, *keys, head, tail)
    return int(seq)


# Streams whose events this process could not send (Redis away). Their numbers are moved on
# once Redis is back (:func:`catch_up`), so nothing cached under the old number is served again.
_missed: set[str] = set()
_missed_lock = threading.Lock()


def _cache_reachable() -> bool:
    """False while the cache treats Redis as away (``config.cache``: it then answers as an
    empty cache, so a missing key says nothing)."""
    client = getattr(caches["default"], "client", None)  # django-redis's client
    reachable = getattr(client, "reachable", None)
    return reachable() if reachable is not None else True


def catch_up() -> list[str]:
    """Advance the sequence number of every stream whose event was lost; returns how many.

    A write whose event could not be sent leaves its stream's number where it was, so pages
    cached under that number (``ideas.fragments``) would look current after Redis returns
    with its data (a network cut rather than a restart). Moving the number on makes them
    rebuild, and any socket still following the stream sees a gap and resyncs. A number that
    is gone (Redis came back empty) needs nothing: everything cached went with it. Returns
    the streams caught up (their sockets in this process are resynced by
    ``realtime.recovery``).
    """
    with _missed_lock:
        streams = list(_missed)
    moved = []
    for stream in streams:
        try:
            cache.incr(SEQUENCE_KEY.format(stream=stream))
            moved.append(stream)
        except ValueError:  # no number (Redis came back empty), or the cache still away
            if not _cache_reachable():
                continue
            moved.append(stream)
        except Exception:
            logger.warning("sequence not caught up", extra={"stream": stream})
            continue
        with _missed_lock:
            _missed.discard(stream)
    return moved


def _send(stream: str, type_: str, object_id: Any, data_json: str) -> None:
    message = _message(stream, type_, object_id, data_json)
    try:
        layer = get_channel_layer()
        if _redis_path(layer):
            _publish_atomically_sync(layer, stream, message)
        else:
            async_to_sync(_asend)(stream, message)
    except Exception:
        # Never raised: the write is committed. Clients catch up from a snapshot.
        with _missed_lock:
            _missed.add(stream)
        logger.exception("realtime publish failed", extra={"stream": stream, "event": type_})
        return
    if _missed:
        catch_up()


def publish(*, stream: str, type: str, object_id: int | str | None, data: dict[str, Any]) -> None:
    """Send ``type`` on ``stream`` after the current transaction commits (at once if none).

    Call from synchronous code (services). ``data`` must be JSON-serialisable plain values.
    """
    if type not in _registry:
        raise ValueError(f"undeclared realtime event type {type!r}")
    group_for(stream)
    data_json = _encode(data)
    if _checking():
        check_payload(type, data_json)
    transaction.on_commit(lambda: _send(stream, type, object_id, data_json))


async def apublish(
    *, stream: str, type: str, object_id: int | str | None, data: dict[str, Any]
) -> int:
    """Async twin of :func:`publish` for consumers that write nothing to the database.

    Sends at once (there is no transaction to wait for); returns the event's sequence number.
    """
    if type not in _registry:
        raise ValueError(f"undeclared realtime event type {type!r}")
    data_json = _encode(data)
    if _checking():
        check_payload(type, data_json)
    return await _asend(stream, _message(stream, type, object_id, data_json))


# Frames built lately in this process: one event goes to every socket on its stream here, and
# each socket's copy of the message is its own dict, so the text is built once and reused.
FRAME_MEMORY = 1024
_frames: dict[tuple, str] = {}


def client_frame(message: dict) -> str:
    """The JSON text a browser receives for a channel-layer event message.

    Built once per event and process. Every part of the frame is in the key: the data, which a
    consumer may rewrite for one viewer, and the time, type and object, so a stream numbered
    again from 1 (its counter lost with Redis) never reads an older event's frame.
    """
    key = (
        message["stream"],
        message["seq"],
        message["at"],
        message["event"],
        message["id"],
        message["data_json"],
    )
    frame = _frames.get(key)
    if frame is None:
        frame = _build_frame(message)
        if len(_frames) >= FRAME_MEMORY:
            _frames.clear()
        _frames[key] = frame
    return frame


def _build_frame(message: dict) -> str:
    head = json.dumps(
        {
            "type": message["event"],
            "stream": message["stream"],
            "seq": message["seq"],
            "id": message["id"],
            "at": message["at"],
        },
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    )
    # data_json was serialised once at publish time; splice it in rather than re-encoding.
    return f'{head[:-1]},"data":{message["data_json"]}}}'
