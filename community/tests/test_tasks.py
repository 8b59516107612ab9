"""Notification email delivery: background task, preferences respected, never twice."""

import pytest
from django.core import mail

from community.models import Notification, NotificationPreference
from community.tasks import deliver_notification_emails, notification_email_deliver
from community.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _note(user, category="account", **kwargs):
    return Notification.objects.create(recipient=user, category=category, title="Hello", **kwargs)


def test_delivery_sends_once_however_often_the_task_runs():
    note = _note(UserFactory(), url="/ideas/7/")
    assert notification_email_deliver(notification_id=note.pk)
    assert not notification_email_deliver(notification_id=note.pk)
    deliver_notification_emails.enqueue(notification_ids=[note.pk, note.pk])
    assert len(mail.outbox) == 1
    assert (
        "http://127.0.0.1:8000/ideas/7/" in mail.outbox[0].body
        or "/ideas/7/" in mail.outbox[0].body
    )
    assert "/notifications/preferences/" in mail.outbox[0].body


def test_a_preference_changed_after_enqueueing_is_still_respected():
    user = UserFactory()
    note = _note(user)
    NotificationPreference.objects.create(user=user, category="account", email=False)
    assert not notification_email_deliver(notification_id=note.pk)
    assert mail.outbox == []
    note.refresh_from_db()
    assert note.emailed_at is None


def test_categories_default_to_their_registered_setting():
    user = UserFactory()
    assert not notification_email_deliver(notification_id=_note(user, "following").pk)
    assert notification_email_deliver(notification_id=_note(user, "unregistered.kind").pk)


def test_closed_accounts_and_vanished_notifications_are_skipped():
    user = UserFactory(is_active=False)
    assert not notification_email_deliver(notification_id=_note(user).pk)
    assert not notification_email_deliver(notification_id=999_999)
    assert mail.outbox == []
