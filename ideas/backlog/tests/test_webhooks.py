"""Webhooks: signing, outbound delivery with retries against a local server, the inbound
tracker endpoint and its refusals."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.tasks import default_task_backend
from django.test import override_settings
from django.urls import reverse

from community.tests.factories import OrganisationFactory
from ideas.backlog import actions, signing
from ideas.backlog.models import BacklogHistory, ItemStatus, WebhookDelivery
from ideas.backlog.tasks import attempt_delivery, backoff, body_of
from ideas.backlog.tests.factories import (
    SECRET,
    BacklogItemFactory,
    WebhookEndpointFactory,
    accepted_idea,
    designer,
)
from ideas.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_trackers_allowed(settings):
    """The local trackers below listen on 127.0.0.1, which production refuses (egress.py)."""
    settings.BACKLOG = {**settings.BACKLOG, "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"]}


DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class FlakyTracker:
    """A tiny tracker on 127.0.0.1 that answers 500 ``failures`` times, then 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.requests: list[dict] = []
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                tracker.requests.append({"headers": dict(self.headers), "body": body})
                code = 500 if len(tracker.requests) <= tracker.failures else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# -- signing --------------------------------------------------------------------------------


def test_a_signature_verifies_only_for_the_same_body_timestamp_and_secret():
    body = b'{"item":1}'
    headers = signing.signed_headers(SECRET, body, now=1_800_000_000)
    ts, sig = headers[signing.TIMESTAMP_HEADER], headers[signing.SIGNATURE_HEADER]
    ok = {"secret": SECRET, "timestamp": ts, "sig": sig, "window": 300, "now": 1_800_000_010}
    assert signing.verify(body=body, **ok) is None
    assert signing.verify(body=b'{"item":2}', **ok).code == "bad_signature"
    assert signing.verify(body=body, **{**ok, "secret": "another-secret-entirely-123"}).code == (
        "bad_signature"
    )
    assert signing.verify(body=body, **{**ok, "now": 1_800_000_301}).code == "stale_timestamp"
    assert signing.verify(body=body, **{**ok, "sig": None}).code == "unsigned"
    assert signing.verify(body=body, **{**ok, "timestamp": "soon"}).code == "bad_timestamp"


# -- outbound ---------------------------------------------------------------------------------


@override_settings(TASKS=DUMMY)
def test_item_events_are_queued_signed_and_never_sent_inside_the_request(
    django_capture_on_commit_callbacks,
):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency, url="http://127.0.0.1:9/never")
    user = designer(agency)
    with django_capture_on_commit_callbacks(execute=True):
        item = actions.item_create(user=user, agency=agency, title="Screens", problem="No info")
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == "backlog_item.created" and delivery.state == "pending"
    assert delivery.attempts == 0  # queued for the worker, not attempted in the request
    queued = [r for r in default_task_backend.results if r.kwargs == {"delivery_id": delivery.pk}]
    assert len(queued) == 1
    assert delivery.payload["item"]["id"] == item.pk
    assert delivery.payload["item"]["score"] == "25.0"


@override_settings(
    TASKS=DUMMY,
    BACKLOG={
        "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"],
        "WEBHOOK_MAX_ATTEMPTS": 5,
        "WEBHOOK_BACKOFF_BASE": 30,
        "WEBHOOK_TIMEOUT": 5,
    },
)
def test_a_failing_tracker_is_retried_with_exponential_back_off_until_it_answers(
    django_capture_on_commit_callbacks,
):
    agency = OrganisationFactory()
    with FlakyTracker(failures=2) as tracker:
        WebhookEndpointFactory(agency=agency, url=tracker.url)
        item = BacklogItemFactory(agency=agency)
        user = designer(agency)
        with django_capture_on_commit_callbacks(execute=True):
            actions.item_transition(user=user, item=item, status=ItemStatus.TRIAGED)
        delivery = WebhookDelivery.objects.get()
        scheduled = []
        for _ in range(3):  # the worker runs each queued attempt when it falls due
            with django_capture_on_commit_callbacks(execute=True):
                state = attempt_delivery(delivery.pk)
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                scheduled.append(delivery.next_attempt_at)
        assert state == "delivered"
        retries = [r.task.run_after for r in default_task_backend.results if r.task.run_after]
    assert delivery.attempts == 3 and delivery.last_status_code == 200
    assert retries == scheduled and len(retries) == 2  # each retry waits for its run_after
    assert [backoff(1).total_seconds(), backoff(2).total_seconds()] == [30, 60]
    keys = {r["headers"][signing.IDEMPOTENCY_HEADER] for r in tracker.requests}
    assert keys == {delivery.idempotency_key}  # the same key on every attempt
    last = tracker.requests[-1]
    assert last["body"] == body_of(delivery)
    assert (
        signing.verify(
            secret=SECRET,
            timestamp=last["headers"][signing.TIMESTAMP_HEADER],
            sig=last["headers"][signing.SIGNATURE_HEADER],
            body=last["body"],
            window=300,
        )
        is None
    )
    assert json.loads(last["body"])["changes"]["status"] == ["new", "triaged"]
    assert attempt_delivery(delivery.pk) == "delivered"  # a duplicate run sends nothing
    assert len(tracker.requests) == 3


@override_settings(
    TASKS=DUMMY,
    BACKLOG={
        "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"],
        "WEBHOOK_MAX_ATTEMPTS": 2,
        "WEBHOOK_TIMEOUT": 2,
    },
)
def test_a_tracker_that_keeps_failing_is_marked_failed_and_the_change_stands():
    agency = OrganisationFactory()
    with FlakyTracker(failures=99) as tracker:
        WebhookEndpointFactory(agency=agency, url=tracker.url)
        item = BacklogItemFactory(agency=agency)
        actions.item_transition(user=designer(agency), item=item, status=ItemStatus.TRIAGED)
        delivery = WebhookDelivery.objects.get()
        assert attempt_delivery(delivery.pk) == "pending"
        assert attempt_delivery(delivery.pk) == "failed"
        assert attempt_delivery(delivery.pk) == "failed"
    assert len(tracker.requests) == 2
    delivery.refresh_from_db()
    assert delivery.last_error == "HTTP 500"
    item.refresh_from_db()
    assert item.status == ItemStatus.TRIAGED


@override_settings(
    TASKS=DUMMY,
    BACKLOG={
        "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"],
        "WEBHOOK_MAX_ATTEMPTS": 3,
        "WEBHOOK_TIMEOUT": 1,
    },
)
def test_an_unreachable_tracker_is_recorded_as_a_failed_attempt():
    agency = OrganisationFactory()
    with FlakyTracker(failures=0) as tracker:
        url = tracker.url
    WebhookEndpointFactory(agency=agency, url=url)  # the server is gone: connection refused
    item = BacklogItemFactory(agency=agency)
    actions.item_update(user=designer(agency), item=item, title="Renamed")
    delivery = WebhookDelivery.objects.get()
    assert attempt_delivery(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_status_code is None and delivery.last_error


def test_internal_notes_alone_are_not_sent_to_the_tracker():
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    item = BacklogItemFactory(agency=agency)
    actions.item_update(user=designer(agency), item=item, internal_notes="Ask finance")
    assert not WebhookDelivery.objects.exists()


# -- inbound ----------------------------------------------------------------------------------


def _post(client, agency, payload, *, secret=SECRET, now=None, body=None, headers=None):
    raw = body if body is not None else json.dumps(payload).encode()
    signed = signing.signed_headers(secret, json.dumps(payload).encode(), now=now)
    return client.post(
        reverse("backlog:inbound", args=[agency.slug]),
        data=raw,
        content_type="application/json",
        headers=signed if headers is None else headers,
    )


def test_the_tracker_moves_an_item_and_the_source_idea_follows(client):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    idea = accepted_idea(agency)
    item = actions.promote_idea(user=designer(agency), idea=idea)
    actions.item_transition(user=designer(agency), item=item, status=ItemStatus.TRIAGED)
    actions.item_transition(user=designer(agency), item=item, status=ItemStatus.IN_DELIVERY)
    response = _post(client, agency, {"item": item.pk, "status": "done", "message": "Shipped."})
    assert response.status_code == 200, response.json()
    assert response.json() == {"item": item.pk, "status": "done"}
    item.refresh_from_db()
    idea.refresh_from_db()
    assert item.status == ItemStatus.DONE and idea.status == Status.IMPLEMENTED
    row = BacklogHistory.objects.get(item=item, field="status", new_value="done")
    assert row.actor is None and row.via == "tracker"


@pytest.mark.parametrize(
    ("tamper", "code", "status"),
    [
        ("unsigned", "unsigned", 401),
        ("tampered", "bad_signature", 401),
        ("stale", "stale_timestamp", 401),
        ("wrong_secret", "bad_signature", 401),
    ],
)
def test_bad_inbound_calls_are_refused_with_a_clear_json_error(client, tamper, code, status):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    item = BacklogItemFactory(agency=agency)
    payload = {"item": item.pk, "status": "triaged"}
    kwargs = {
        "unsigned": {"headers": {}},
        "tampered": {"body": json.dumps({"item": item.pk, "status": "wont_do"}).encode()},
        "stale": {"now": time.time() - 3600},
        "wrong_secret": {"secret": "not-the-agency-secret-0123456789"},
    }[tamper]
    response = _post(client, agency, payload, **kwargs)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["message"]
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_a_replayed_inbound_call_is_applied_once(client):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    item = BacklogItemFactory(agency=agency)
    body = json.dumps({"item": item.pk, "status": "triaged"}).encode()
    headers = signing.signed_headers(SECRET, body)
    url = reverse("backlog:inbound", args=[agency.slug])
    first = client.post(url, data=body, content_type="application/json", headers=headers)
    again = client.post(url, data=body, content_type="application/json", headers=headers)
    assert first.status_code == 200
    assert again.status_code == 409 and again.json()["error"] == "replayed"
    assert BacklogHistory.objects.filter(item=item, field="status").count() == 1


def test_unknown_items_and_items_of_other_agencies_are_404(client):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    foreign = BacklogItemFactory()
    for item_id in (999999, foreign.pk):
        response = _post(client, agency, {"item": item_id, "status": "triaged"})
        assert response.status_code == 404 and response.json()["error"] == "unknown_item"


def test_invalid_transitions_from_the_tracker_are_422(client):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency)
    item = BacklogItemFactory(agency=agency)
    response = _post(client, agency, {"item": item.pk, "status": "done"})
    assert response.status_code == 422 and "cannot move" in response.json()["message"]
    response = _post(client, agency, {"item": "x", "status": "done"})
    assert response.status_code == 400 and response.json()["error"] == "malformed"


def test_agencies_without_an_active_integration_get_404(client):
    agency = OrganisationFactory()
    WebhookEndpointFactory(agency=agency, is_active=False)
    response = _post(client, agency, {"item": 1, "status": "triaged"})
    assert response.status_code == 404 and response.json()["error"] == "unknown_agency"
