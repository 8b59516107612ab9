"""Background delivery of texts. Each task is safe to run twice (a sent row is never resent)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from community import notifications as categories
from community.models import Notification
from community.sms.gateways import GatewayError, gateway
from community.sms.models import PhoneNumber, TextMessage

logger = logging.getLogger(__name__)


def text_deliver(*, message_id: int) -> bool:
    """Send one queued text unless it already went out; returns whether it was sent now.

    The row is locked while sending and stamped in the same transaction, so a duplicated task
    never sends twice. A provider failure marks the text failed (kept for support staff).
    """
    with transaction.atomic():
        message = TextMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != TextMessage.State.QUEUED:
            return False
        try:
            provider_id = gateway().send(to=message.number, body=message.body)
        except GatewayError as exc:
            logger.warning("text %s could not be sent: %s", message.pk, exc)
            message.state, message.error = TextMessage.State.FAILED, str(exc)[:200]
            message.save(update_fields=["state", "error"])
            return False
        message.state = TextMessage.State.SENT
        message.provider_id = provider_id[:64]
        message.sent_at = timezone.now()
        message.save(update_fields=["state", "provider_id", "sent_at"])
    return True


@task()
def send_text(*, message_id: int) -> bool:
    return text_deliver(message_id=message_id)


def notifications_text_enqueue(notification_ids: list[int]) -> None:
    """The SMS channel of :func:`community.actions.notifications.notify` (runs after commit)."""
    try:
        deliver_notification_texts.enqueue(notification_ids=notification_ids)
    except Exception:
        logger.exception("could not enqueue notification texts", extra={"ids": notification_ids})


@task()
def deliver_notification_texts(*, notification_ids: list[int]) -> int:
    """Text each notification whose category may go by text, to people who opted in.

    Written in the recipient's language; one text per notification ever (its key).
    """
    from community.sms.services import language_of, text_queue

    notes = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    wanted = [n for n in notes if categories.category(n.category).text]
    if not wanted:
        return 0
    phones = {
        p.user_id: p
        for p in PhoneNumber.objects.filter(
            user_id__in={n.recipient_id for n in wanted},
            verified_at__isnull=False,
            stopped_at__isnull=True,
            notify_by_text=True,
        )
    }
    queued = 0
    for note in wanted:
        phone = phones.get(note.recipient_id)
        if phone is None or not note.recipient.is_active:
            continue
        with translation.override(language_of(note.recipient)):
            link = settings.SITE_URL.rstrip("/") + note.url if note.url else ""
            body = f"{settings.WAGTAIL_SITE_NAME}: {note.title}"
            if link:
                body += f" {link}"
        with transaction.atomic():
            if text_queue(
                number=phone.number, body=body, user=note.recipient, key=f"notification:{note.pk}"
            ):
                queued += 1
    return queued
