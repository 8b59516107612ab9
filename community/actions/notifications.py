"""In-app notifications, their email and text deliveries, and people's preferences.

Other apps tell people things only through :func:`notify`, inside their own write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import notifications as categories
from community.events import (
    NOTIFICATION_CREATED,
    NOTIFICATION_READ,
    notification_data,
    notifications_read_data,
)
from community.models import Notification, NotificationPreference, User
from community.text import plain_text
from realtime.events import publish
from realtime.groups import user_stream

logger = logging.getLogger(__name__)


def _unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )


def wants_email(user_ids: Iterable[int], category: str) -> set[int]:
    """Which of ``user_ids`` want ``category`` by email (their preference, else the default)."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, category=category).values_list(
            "user_id", "email"
        )
    )
    default = categories.category(category).email_default
    return {uid for uid in ids if chosen.get(uid, default)}


def _enqueue_emails(notification_ids: list[int]) -> None:
    from community.tasks import deliver_notification_emails

    try:
        deliver_notification_emails.enqueue(notification_ids=notification_ids)
    except Exception:
        # The notification stands in-app; a failed enqueue must not break the caller's request.
        logger.exception("could not enqueue notification emails", extra={"ids": notification_ids})


def notify(
    *,
    recipients: Iterable[User],
    category: str,
    title: str | Callable[[], str],
    body: str | Callable[[], str] = "",
    url: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Record an in-app notification for each recipient (once each, never to ``exclude``).

    Call inside the write's transaction. After it commits, each recipient's header badge
    updates live (``notification.created`` on their private stream) and an email task is
    enqueued for the recipients who want ``category`` by email, and every registered delivery
    channel (texts) is handed the new ids. ``title`` and ``body`` may be functions: each is
    then called in the recipient's language, so people read notifications in their own
    language whoever caused them. Runs three queries however many recipients there are.
    """
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        if not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text_title = str(title() if callable(title) else title)
            text_body = str(body() if callable(body) else body)
        rows.append(
            Notification(
                recipient=user,
                category=category,
                title=plain_text(text_title)[:200],
                body=plain_text(text_body),
                url=url if url.startswith("/") and not url.startswith("//") else "",
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        unread = _unread_counts(seen)
        for note in created:
            publish(
                stream=user_stream(note.recipient_id),
                type=NOTIFICATION_CREATED,
                object_id=note.pk,
                data=notification_data(note, unread=unread.get(note.recipient_id, 0)),
            )
        emailed = wants_email(seen, category)
        email_ids = [n.pk for n in created if n.recipient_id in emailed and n.recipient.email]
        if email_ids:
            transaction.on_commit(lambda: _enqueue_emails(email_ids))
        all_ids = [n.pk for n in created]
        for deliver in categories.channels():
            transaction.on_commit(partial(deliver, all_ids))
    return created


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the user's notifications read; returns unread left."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to see your notifications."))
    with transaction.atomic():
        qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
        ids = None if notification_ids is None else [int(i) for i in notification_ids]
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        changed = qs.update(read_at=timezone.now())
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        if changed:
            publish(
                stream=user_stream(user.pk),
                type=NOTIFICATION_READ,
                object_id=None,
                data=notifications_read_data(ids, unread=unread),
            )
    return unread


def notification_preferences_set(*, user: User, email_categories: Iterable[str]) -> None:
    """Email exactly the listed categories (of those registered); the rest in-app only."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your preferences."))
    wanted = set(email_categories)
    known = {c.key for c in categories.categories()}
    unknown = wanted - known
    if unknown:
        raise ValidationError(_("Unknown notification category."))
    with transaction.atomic():
        for key in known:
            NotificationPreference.objects.update_or_create(
                user=user, category=key, defaults={"email": key in wanted}
            )
