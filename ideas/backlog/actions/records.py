"""The *record* part of every backlog write: one history row per changed field, the board
event (after commit) and a signed delivery queued for the agency's tracker (sent by the task
worker after commit: the request never waits for it)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Model

from community.models import User
from ideas.backlog.events import backlog_stream, hook_payload, item_card
from ideas.backlog.models import BacklogHistory, BacklogItem, WebhookDelivery, WebhookEndpoint
from realtime.events import publish

logger = logging.getLogger(__name__)

Via = BacklogHistory.Via


def _display(value: Any) -> str:
    if isinstance(value, Model):
        return str(value)
    return "" if value is None else str(value)


def history(item: BacklogItem, actor: User | None, via: str, changes: dict) -> None:
    """One row per changed field: ``changes`` maps field → (old, new)."""
    BacklogHistory.objects.bulk_create(
        BacklogHistory(
            item=item,
            actor=actor,
            via=via,
            field=field,
            old_value=_display(old),
            new_value=_display(new),
        )
        for field, (old, new) in changes.items()
    )


def broadcast(item: BacklogItem, event: str, data: dict | None = None) -> None:
    """Publish ``event`` on the agency's backlog board; ``data`` defaults to the item's card."""
    publish(
        stream=backlog_stream(item.agency_id),
        type=event,
        object_id=item.pk,
        data=item_card(item) if data is None else data,
    )


def _enqueue_delivery(delivery_id: int) -> None:
    from ideas.backlog.tasks import deliver_webhook

    try:
        deliver_webhook.enqueue(delivery_id=delivery_id)
    except Exception:
        # The delivery row stays pending and is listed in the log; the write stands.
        logger.exception("could not enqueue webhook delivery", extra={"delivery": delivery_id})


def queue_hook(item: BacklogItem, event: str, changes: dict) -> WebhookDelivery | None:
    """Record a delivery for the agency's active endpoint; send it after commit."""
    endpoint = WebhookEndpoint.objects.filter(agency_id=item.agency_id, is_active=True).first()
    if endpoint is None:
        return None
    plain = {field: [_display(old), _display(new)] for field, (old, new) in changes.items()}
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=event,
        item=item,
        idempotency_key=uuid.uuid4().hex,
        payload=hook_payload(item, event, plain),
    )
    transaction.on_commit(lambda: _enqueue_delivery(delivery.pk))
    return delivery
