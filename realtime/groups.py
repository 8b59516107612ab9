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


def user_stream(user_id: int) -> str:
    """Private stream of one account (notifications, exchange messages)."""
    return stream("user", user_id)
