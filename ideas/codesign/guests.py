"""Guests and join codes held in the browser's session (Django's signed session cookie).

A named guest has no account. When a facilitator allows guests, joining creates a
:class:`~ideas.codesign.models.Participant` with a random ``guest_key`` (32 random bytes,
URL-safe); the key is stored server-side in the visitor's Django session under
``codesign.guests`` (session id → key). The session cookie is signed and HTTP-only, so the
key never reaches page scripts and cannot be guessed or forged; the websocket consumer reads
the same session (``scope["session"]``) to know which participant a guest is. Clearing
cookies or signing out ends the guest's identity; their notes stay under their guest name.

Entering an invited session's code (or opening its join link) records the session id under
``codesign.codes``: that browser may then watch and join it.
"""

from __future__ import annotations

from typing import Any

GUESTS_KEY = "codesign.guests"
CODES_KEY = "codesign.codes"


def guest_key(session_store: Any, session_id: int) -> str:
    if session_store is None:
        return ""
    return (session_store.get(GUESTS_KEY) or {}).get(str(session_id), "")


def remember_guest(session_store: Any, session_id: int, key: str) -> None:
    guests = dict(session_store.get(GUESTS_KEY) or {})
    guests[str(session_id)] = key
    session_store[GUESTS_KEY] = guests


def has_code(session_store: Any, session_id: int) -> bool:
    if session_store is None:
        return False
    return session_id in (session_store.get(CODES_KEY) or [])


def remember_code(session_store: Any, session_id: int) -> None:
    codes = list(session_store.get(CODES_KEY) or [])
    if session_id not in codes:
        session_store[CODES_KEY] = [*codes, session_id][-50:]
