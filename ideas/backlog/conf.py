"""Tunable numbers for backlogs and webhooks, read from ``settings.BACKLOG`` with defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Inbound calls whose timestamp is further than this from now (seconds) are refused.
    "WEBHOOK_REPLAY_WINDOW": 300,
    # Outbound delivery: seconds to wait for the agency's server, and how often to try.
    "WEBHOOK_TIMEOUT": 5,
    "WEBHOOK_MAX_ATTEMPTS": 5,
    # Retry n waits BACKOFF_BASE * 2 ** (n - 1) seconds.
    "WEBHOOK_BACKOFF_BASE": 30,
    # An attempt is claimed (marked in flight) before its HTTP call; a claim older than this
    # (seconds) is taken to be from a worker that died and may be retaken. An attempt takes
    # at most WEBHOOK_TIMEOUT (5 s) to connect and answer, so 30 s is well past any live one.
    "WEBHOOK_CLAIM_TIMEOUT": 30,
    # The sweeper (manage.py sweep_webhooks, run by the scheduler) re-enqueues pending
    # deliveries untouched for this many minutes (their enqueue may have failed).
    "WEBHOOK_STRANDED_AFTER_MINUTES": 10,
    # Private networks (CIDRs) trackers may live on; everything else non-public is refused
    # (see ideas/backlog/egress.py). Empty: only publicly routable addresses.
    "WEBHOOK_ALLOWED_NETWORKS": [],
    # Largest inbound body accepted (bytes).
    "WEBHOOK_MAX_BODY": 20_000,
}


def setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "BACKLOG", {})}[name]
