"""Outbound webhook delivery, run by the task worker (``manage.py db_worker``).

One task run makes one attempt. A failure (timeout, connection refused, a non-2xx answer)
schedules the next attempt with ``run_after`` after ``WEBHOOK_BACKOFF_BASE * 2 ** (n - 1)``
seconds, until ``WEBHOOK_MAX_ATTEMPTS``; then the delivery is marked failed and stays in the
agency admins' delivery log. A delivered row is never sent again, and every attempt carries
the same idempotency key so the receiver can drop duplicates.
"""

from __future__ import annotations

import http.client
import json
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ideas.backlog import egress, signing
from ideas.backlog.conf import setting
from ideas.backlog.models import WebhookDelivery

logger = logging.getLogger(__name__)

State = WebhookDelivery.State


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed): the payload plus the delivery's identity."""
    data = {**delivery.payload, "delivery": delivery.idempotency_key}
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=setting("WEBHOOK_BACKOFF_BASE") * 2 ** (attempt - 1))


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    endpoint = delivery.endpoint
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CivicCommons-Webhooks/1",
        signing.EVENT_HEADER: delivery.event,
        signing.IDEMPOTENCY_HEADER: delivery.idempotency_key,
        **signing.signed_headers(endpoint.secret, body),
    }
    try:
        status = egress.post(
            endpoint.url, body=body, headers=headers, timeout=setting("WEBHOOK_TIMEOUT")
        )
    except ValidationError as exc:
        return None, " ".join(exc.messages)[:500]
    except (OSError, http.client.HTTPException) as exc:
        return None, (str(exc) or exc.__class__.__name__)[:500]
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def claim_timeout() -> timedelta:
    """How long an in-flight claim holds before another run may retake it (a worker that died
    mid-call leaves its claim behind)."""
    return timedelta(seconds=setting("WEBHOOK_CLAIM_TIMEOUT"))


def _claim(delivery_id: int) -> tuple[WebhookDelivery | None, str]:
    """Lock the row, check it still needs sending, mark it in flight and commit.

    Returns the claimed delivery, or None and the state to report. The row lock is held only
    for this short transaction, never across the HTTP call.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None, "missing"
        if delivery.state != State.PENDING:
            return None, delivery.state
        now = timezone.now()
        if delivery.claimed_at is not None and now - delivery.claimed_at < claim_timeout():
            # Another run is making this attempt now, or a worker died mid-call (its task is
            # run again when the worker restarts): look again once the claim has expired, so
            # a dead worker's attempt is retaken then, not only by the sweeper.
            retake_at = delivery.claimed_at + claim_timeout()
            transaction.on_commit(lambda: _schedule_retry(delivery_id, retake_at))
            return None, "in_flight"
        if not delivery.endpoint.is_active:
            delivery.state, delivery.last_error = State.FAILED, "endpoint deactivated"
            delivery.claimed_at = None
            delivery.save(update_fields=["state", "last_error", "claimed_at"])
            return None, delivery.state
        delivery.attempts += 1
        delivery.claimed_at = now
        delivery.save(update_fields=["attempts", "claimed_at"])
    return delivery, State.PENDING


def attempt_delivery(delivery_id: int) -> str:
    """Make one attempt; returns the delivery's state afterwards.

    Three steps so no row lock or transaction is held while the agency's server answers:
    claim (lock, mark in flight, commit), send (no transaction open), record (lock again;
    only the run whose claim is still on the row records, so a retaken claim or a delivery
    already delivered is left alone).
    """
    delivery, state = _claim(delivery_id)
    if delivery is None:
        return state
    claimed_at = delivery.claimed_at
    code, error = _post(delivery)
    with transaction.atomic():
        current = (
            WebhookDelivery.objects.select_for_update(of=("self",)).filter(pk=delivery_id).first()
        )
        if current is None:
            return "missing"
        if current.state != State.PENDING or current.claimed_at != claimed_at:
            return current.state  # delivered or retaken meanwhile: that run records
        current.claimed_at = None
        current.last_status_code = code
        if code is not None and 200 <= code < 300:
            current.state, current.last_error = State.DELIVERED, ""
            current.delivered_at, current.next_attempt_at = timezone.now(), None
        elif current.attempts >= setting("WEBHOOK_MAX_ATTEMPTS"):
            current.state, current.last_error = State.FAILED, error or f"HTTP {code}"
            current.next_attempt_at = None
        else:
            current.last_error = error or f"HTTP {code}"
            current.next_attempt_at = timezone.now() + backoff(current.attempts)
        current.save()
        if current.state == State.PENDING:
            run_after = current.next_attempt_at
            transaction.on_commit(lambda: _schedule_retry(delivery_id, run_after))
    return current.state


def _schedule_retry(delivery_id: int, run_after) -> None:
    if not deliver_webhook.get_backend().supports_defer:
        # The immediate backend (tests, no worker) cannot wait: leave it pending in the log.
        logger.warning(
            "webhook retry not scheduled: backend cannot defer", extra={"id": delivery_id}
        )
        return
    try:
        deliver_webhook.using(run_after=run_after).enqueue(delivery_id=delivery_id)
    except Exception:
        logger.exception("could not schedule webhook retry", extra={"delivery": delivery_id})


def sweep_stranded(now=None) -> int:
    """Re-enqueue pending deliveries nobody is going to run; returns how many.

    A delivery is stranded when its enqueue failed after commit (the request only logs it),
    its retry could not be scheduled, or the worker died holding its claim. Due for a sweep:
    pending, its last planned moment (``next_attempt_at``, else ``created_at``) older than
    ``WEBHOOK_STRANDED_AFTER_MINUTES``, and no claim younger than the claim timeout. Each row
    is taken with a conditional UPDATE that moves ``next_attempt_at`` to now, so concurrent
    or repeated sweeps enqueue it once per window; ``attempt_delivery`` sends a row at most
    once anyway.
    """
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=setting("WEBHOOK_STRANDED_AFTER_MINUTES"))
    due = (
        WebhookDelivery.objects.alias(planned=Coalesce("next_attempt_at", "created_at"))
        .filter(state=State.PENDING, planned__lt=cutoff)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))
    )
    swept = 0
    for pk in list(due.values_list("pk", flat=True)[:1000]):
        with transaction.atomic():
            if not due.filter(pk=pk).update(next_attempt_at=now):
                continue  # delivered, claimed or swept by someone else meanwhile
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
        swept += 1
    return swept


def _enqueue(delivery_id: int) -> None:
    try:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    except Exception:
        logger.exception("could not re-enqueue webhook delivery", extra={"delivery": delivery_id})


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    return attempt_delivery(delivery_id)
