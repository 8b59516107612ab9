"""Background work for community: email delivery.

Run by ``manage.py db_worker`` (django-tasks-db) in production; the test settings use the
immediate backend. Task arguments are plain JSON values; each task is safe to run twice.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from community import notifications as categories
from community.models import Notification

logger = logging.getLogger(__name__)


@task()
def send_email(
    *, subject: str, body: str, from_email: str, to: list[str], html: str | None = None
) -> None:
    """Send one already-rendered email (account emails from allauth come through here)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def notification_email_deliver(*, notification_id: int) -> bool:
    """Email one notification unless it already went out or is no longer wanted.

    The row is locked while sending and stamped ``emailed_at`` in the same transaction, so a
    retried or duplicated task never mails it twice. Returns whether an email was sent.
    """
    from community.actions.notifications import wants_email

    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or note.emailed_at is not None:
            return False
        user = note.recipient
        if not user.is_active or not user.email or not wants_email([user.pk], note.category):
            return False
        site = settings.SITE_URL.rstrip("/") + "/"
        context = {
            "notification": note,
            "link": urljoin(site, note.url.lstrip("/")) if note.url else "",
            "preferences": urljoin(site, reverse("community:notification_preferences").lstrip("/")),
            "category": categories.category(note.category),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = " ".join(
                render_to_string("community/email/notification_subject.txt", context).split()
            )
            body = render_to_string("community/email/notification_message.txt", context)
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


@task()
def deliver_notification_emails(*, notification_ids: list[int]) -> int:
    """Email each notification that still needs it; returns how many were sent."""
    sent = 0
    for pk in notification_ids:
        if notification_email_deliver(notification_id=pk):
            sent += 1
    return sent
