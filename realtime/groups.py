"""Stream and channel-group names: the one module that spells them.

A *stream* is what a client follows (``board:12``, ``session:7``, ``health``); its channel
group is derived here so no other module builds group names by hand.
"""

from __future__ import annotations

import re

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def stream(kind: str, key: int | str | None = None) -> str:
    """The stream name for ``kind`` (e.g. ``"board"``) and an object key (e.g. a pk)."""
    if not _KIND.match(kind):
        raise ValueError(f"invalid stream kind {kind!r}")
    if key is None:
        return kind
    key = str(key)
    if not _KEY.match(key):
        raise ValueError(f"invalid stream key {key!r}")
    return f"{kind}:{key}"


def group_for(stream_name: str) -> str:
    """Channel-layer group for a stream (ASCII letters, digits, dots; under 100 characters)."""
    kind, _, key = stream_name.partition(":")
    stream(kind, key or None)  # validates
    return f"rt.{kind}.{key}" if key else f"rt.{kind}"


def private_stream(stream_name: str, viewer: str) -> str:
    """A side stream of ``stream_name`` that only one viewer (or one role) follows.

    Data some viewers of a stream may see and others may not (a concealed note's text) goes
    only on the side streams of those allowed, never on the shared stream, whose messages
    every process and socket of the stream receives. ``viewer`` names who follows it within
    the stream (``p12`` for one participant, ``facilitators``); the consumer decides who may.
    Side streams are numbered like any stream; a socket's snapshot lists the ones it follows
    with their sequence numbers (docs/realtime.md, "Private side streams").
    """
    kind, _, key = stream_name.partition(":")
    stream(kind, key or None)  # validates
    return stream(f"{kind}_private", f"{key}-{viewer}" if key else viewer)


def user_stream(user_id: int) -> str:
    """Private stream of one account (notifications, exchange messages)."""
    return stream("user", user_id)
