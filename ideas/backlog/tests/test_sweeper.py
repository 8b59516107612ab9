"""Stranded webhook deliveries (enqueue lost after commit, worker died mid-call) are swept back
onto the queue by the scheduler, once per window."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend
from django.test import override_settings
from django.utils import timezone

from ideas.backlog import tasks
from ideas.backlog.models import WebhookDelivery
from ideas.backlog.tests.factories import BacklogItemFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def dummy_tasks():
    with override_settings(TASKS=DUMMY):
        default_task_backend.clear()
        yield


def _delivery(minutes_old: int, **fields) -> WebhookDelivery:
    endpoint = WebhookEndpointFactory()
    item = BacklogItemFactory(agency=endpoint.agency)
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="backlog_item.updated",
        item=item,
        idempotency_key=f"k-{item.pk}",
        payload={"item": {"id": item.pk}},
        created_at=timezone.now() - timedelta(minutes=minutes_old),
        **fields,
    )


def _queued() -> list[int]:
    return [
        r.kwargs["delivery_id"]
        for r in default_task_backend.results
        if r.task.name == tasks.deliver_webhook.name
    ]


def test_stranded_and_stale_claimed_deliveries_are_re_enqueued_once(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    lost = _delivery(30)  # enqueue failed after commit: pending, never attempted
    dead = _delivery(30, attempts=1, claimed_at=now - timedelta(minutes=20))  # worker died
    fresh = _delivery(1)  # its task is still on the queue
    in_flight = _delivery(30, attempts=1, claimed_at=now - timedelta(seconds=10))
    waiting = _delivery(30, attempts=1, next_attempt_at=now + timedelta(minutes=5))
    done = _delivery(30, state="delivered")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_stranded() == 2
    assert sorted(_queued()) == sorted([lost.pk, dead.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_stranded() == 0  # idempotent: not again within the window
    assert len(_queued()) == 2
    untouched = [fresh, in_flight, waiting, done]
    assert all(
        WebhookDelivery.objects.get(pk=d.pk).next_attempt_at == d.next_attempt_at for d in untouched
    )


def test_a_swept_delivery_is_sent_and_a_stale_claim_retaken(django_capture_on_commit_callbacks):
    dead = _delivery(30, attempts=1, claimed_at=timezone.now() - timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_stranded()
    from unittest import mock

    with mock.patch.object(tasks, "_post", return_value=(200, "")):
        assert tasks.attempt_delivery(dead.pk) == "delivered"
    dead.refresh_from_db()
    assert dead.attempts == 2 and dead.claimed_at is None


def test_the_scheduler_and_the_command_run_the_sweep(django_capture_on_commit_callbacks):
    lost = _delivery(30)
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("sweep_webhooks", stdout=out)
    assert "1 stranded delivery(ies) re-enqueued" in out.getvalue()
    assert _queued() == [lost.pk]
    WebhookDelivery.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("open_data_scheduler", "--once", stdout=out)
    assert "webhooks: 1 stranded" in out.getvalue()
    assert _queued() == [lost.pk, lost.pk]
