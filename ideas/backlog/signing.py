"""HMAC-SHA256 signing shared by outbound deliveries and inbound tracker calls.

The signed message is ``"<timestamp>.<raw body>"`` with the agency's secret; the timestamp
(whole Unix seconds) travels in ``X-Civic-Timestamp`` and the hex digest, prefixed
``sha256=``, in ``X-Civic-Signature``. Receivers must compare in constant time and refuse a
timestamp outside the replay window; we also refuse a signature seen before.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

TIMESTAMP_HEADER = "X-Civic-Timestamp"
SIGNATURE_HEADER = "X-Civic-Signature"
IDEMPOTENCY_HEADER = "X-Civic-Idempotency-Key"
EVENT_HEADER = "X-Civic-Event"
PREFIX = "sha256="


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


@dataclass(frozen=True)
class Refusal:
    """Why a call was not accepted: a stable ``code``, a message and the HTTP status."""

    code: str
    message: str
    status: int = 401


def verify(
    *,
    secret: str,
    timestamp: str | None,
    sig: str | None,
    body: bytes,
    window: int,
    now: float | None = None,
) -> Refusal | None:
    """None if ``sig`` signs ``body`` at ``timestamp`` within ``window`` seconds of now."""
    if not timestamp or not sig:
        return Refusal("unsigned", "Sign the request: X-Civic-Timestamp and X-Civic-Signature.")
    try:
        stamp = int(timestamp)
    except ValueError:
        return Refusal("bad_timestamp", "X-Civic-Timestamp must be whole Unix seconds.")
    now = time.time() if now is None else now
    if abs(now - stamp) > window:
        return Refusal(
            "stale_timestamp",
            f"The timestamp is more than {window} seconds from now; sign the request again.",
        )
    if not hmac.compare_digest(signature(secret, stamp, body), sig.strip()):
        return Refusal("bad_signature", "The signature does not match the body and timestamp.")
    return None
