"""Tunable numbers for co-design sessions, read from ``settings.CODESIGN`` with defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Longest timer a facilitator may set or extend to (seconds).
    "TIMER_MAX_SECONDS": 3 * 60 * 60,
    # Most notes one participant may add to one session.
    "NOTES_PER_PARTICIPANT": 100,
    # Most groups on one board.
    "GROUPS_MAX": 60,
    # Presence counters expire this long after a socket's last sign of life (seconds).
    "PRESENCE_TTL": 6 * 60 * 60,
    # Position-only note moves (drags) sent over the socket within this many milliseconds are
    # applied together, the latest position of each note winning, and published as one
    # ``notes.moved`` event (ideas.codesign.moves): persisted within this plus one
    # transaction, and other boards see moves at most this often per web process.
    "MOVE_FLUSH_MS": 50,
}


def setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "CODESIGN", {})}[name]
