"""Event types, the envelope and the one publish helper.

Apps declare each event type once (``declare("idea.created", "…")``) in their own
``events.py``; :func:`publish` refuses undeclared types. A service calls :func:`publish`
inside its transaction: the payload is serialised *now* (a bad payload fails where it is
made) and sent to the stream's group only on ``transaction.on_commit``, so a rolled-back write
broadcasts nothing. Each sent event carries the next sequence number of its stream, so a
client that sees a gap asks for a snapshot again.

Delivery is best effort: if the channel layer is down the write still stands (it is already
committed); the failure is logged and clients catch up from the snapshot on reconnect.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from realtime.groups import group_for

logger = logging.getLogger(__name__)

SEQUENCE_KEY = "rt:seq:{stream}"


@dataclass(frozen=True)
class EventType:
    name: str
    description: str


_registry: dict[str, EventType] = {}


def declare(name: str, description: str) -> str:
    """Declare an event type; returns its name for use as a constant."""
    existing = _registry.get(name)
    if existing and existing.description != description:
        raise ValueError(f"event type {name!r} declared twice with different descriptions")
    _registry[name] = EventType(name, description)
    return name


def declared() -> dict[str, EventType]:
    return dict(_registry)


HEALTH_PONG = declare("health.pong", "Answer to a health ping, naming the process that sent it.")


def next_sequence(stream: str) -> int:
    key = SEQUENCE_KEY.format(stream=stream)
    cache.add(key, 0, timeout=None)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 0, timeout=None)
        return cache.incr(key)


def current_sequence(stream: str) -> int:
    """Sequence of the last event sent on ``stream``; read it *before* building a snapshot."""
    return int(cache.get(SEQUENCE_KEY.format(stream=stream), 0))


async def acurrent_sequence(stream: str) -> int:
    """Async twin of :func:`current_sequence`, for consumers (no blocking I/O on the loop)."""
    return int(await cache.aget(SEQUENCE_KEY.format(stream=stream), 0))


def _encode(data: dict[str, Any]) -> str:
    if not isinstance(data, dict):
        raise TypeError("event data must be a dict of plain values")
    return json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False)


def _message(stream: str, type_: str, object_id: Any, data_json: str, seq: int) -> dict:
    return {
        "type": "realtime.event",
        "stream": stream,
        "seq": seq,
        "event": type_,
        "id": object_id,
        "data_json": data_json,
        "at": timezone.now().isoformat(),
    }


def _send(stream: str, type_: str, object_id: Any, data_json: str) -> None:
    try:
        seq = next_sequence(stream)
        layer = get_channel_layer()
        async_to_sync(layer.group_send)(
            group_for(stream), _message(stream, type_, object_id, data_json, seq)
        )
    except Exception:
        logger.exception("realtime publish failed", extra={"stream": stream, "event": type_})


def publish(*, stream: str, type: str, object_id: int | str | None, data: dict[str, Any]) -> None:
    """Send ``type`` on ``stream`` after the current transaction commits (at once if none).

    Call from synchronous code (services). ``data`` must be JSON-serialisable plain values.
    """
    if type not in _registry:
        raise ValueError(f"undeclared realtime event type {type!r}")
    group_for(stream)
    data_json = _encode(data)
    transaction.on_commit(lambda: _send(stream, type, object_id, data_json))


async def apublish(
    *, stream: str, type: str, object_id: int | str | None, data: dict[str, Any]
) -> None:
    """Async twin of :func:`publish` for consumers that write nothing to the database."""
    if type not in _registry:
        raise ValueError(f"undeclared realtime event type {type!r}")
    data_json = _encode(data)
    key = SEQUENCE_KEY.format(stream=stream)
    await cache.aadd(key, 0, timeout=None)
    seq = await cache.aincr(key)
    layer = get_channel_layer()
    await layer.group_send(group_for(stream), _message(stream, type, object_id, data_json, seq))


def client_frame(message: dict) -> str:
    """The JSON text a browser receives for a channel-layer event message."""
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
