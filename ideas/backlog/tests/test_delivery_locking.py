"""No row lock or transaction is held while a webhook's HTTP call is in flight; claims that
are in flight are not sent twice, and a stale claim can be retaken."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from ideas.backlog import tasks
from ideas.backlog.models import WebhookDelivery
from ideas.backlog.tests.factories import BacklogItemFactory, WebhookEndpointFactory

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _delivery() -> WebhookDelivery:
    endpoint = WebhookEndpointFactory()
    item = BacklogItemFactory(agency=endpoint.agency)
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="backlog_item.updated",
        item=item,
        idempotency_key=f"k-{item.pk}",
        payload={"item": {"id": item.pk}},
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DUMMY)
def test_the_delivery_row_is_not_locked_during_the_http_call():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL)")
    delivery = _delivery()
    calling, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def slow_post(d):
        calling.set()
        assert release.wait(timeout=30)
        return 200, ""

    def run():
        try:
            outcome["state"] = tasks.attempt_delivery(delivery.pk)
        except Exception as exc:  # reported below
            outcome["state"] = exc
        finally:
            connections.close_all()

    with mock.patch.object(tasks, "_post", side_effect=slow_post):
        worker = threading.Thread(target=run)
        worker.start()
        try:
            assert calling.wait(timeout=30)
            # another connection takes the row lock at once: nobody holds it now
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(
                    "SELECT id, claimed_at, attempts FROM backlog_webhookdelivery "
                    "WHERE id = %s FOR UPDATE NOWAIT",
                    [delivery.pk],
                )
                _, claimed_at, attempts = cursor.fetchone()
                cursor.execute("ROLLBACK")
            assert claimed_at is not None and attempts == 1  # marked in flight, committed
            # a second run meanwhile does not send it again
            assert tasks.attempt_delivery(delivery.pk) == "in_flight"
        finally:
            release.set()
            worker.join(timeout=30)
    assert outcome["state"] == "delivered"
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.claimed_at is None
    assert delivery.attempts == 1


@pytest.mark.django_db
@override_settings(TASKS=DUMMY)
def test_a_stale_claim_is_retaken_and_a_delivered_row_is_never_sent_again():
    delivery = _delivery()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=1, claimed_at=timezone.now() - tasks.claim_timeout() - timedelta(seconds=1)
    )
    with mock.patch.object(tasks, "_post", return_value=(200, "")) as post:
        assert tasks.attempt_delivery(delivery.pk) == "delivered"
        assert tasks.attempt_delivery(delivery.pk) == "delivered"
    assert post.call_count == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.claimed_at is None


@pytest.mark.django_db
@override_settings(TASKS=DUMMY)
def test_a_result_from_a_run_whose_claim_was_retaken_is_not_recorded():
    delivery = _delivery()

    def post_then_lose_claim(d):
        # while this run's call is out, another run retakes the claim and delivers
        WebhookDelivery.objects.filter(pk=d.pk).update(
            state="delivered", claimed_at=None, delivered_at=timezone.now()
        )
        return 500, "HTTP 500"

    with mock.patch.object(tasks, "_post", side_effect=post_then_lose_claim):
        assert tasks.attempt_delivery(delivery.pk) == "delivered"
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.last_error == ""


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DUMMY)
def test_a_run_that_meets_a_fresh_claim_looks_again_when_the_claim_expires():
    """A worker killed mid-call leaves its claim; the task run again on restart must not
    drop the delivery until the sweeper: it schedules itself for when the claim expires."""
    delivery = _delivery()
    claimed_at = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1, claimed_at=claimed_at)
    with (
        mock.patch.object(tasks, "_post") as post,
        mock.patch.object(tasks, "_schedule_retry") as retry,
    ):
        assert tasks.attempt_delivery(delivery.pk) == "in_flight"
    post.assert_not_called()
    retry.assert_called_once_with(delivery.pk, claimed_at + tasks.claim_timeout())
