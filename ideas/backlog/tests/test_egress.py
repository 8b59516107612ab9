"""Tracker URLs cannot reach into the platform's own network (SSRF), at configuration time
and at every delivery, and the connection goes to the address that was checked."""

import socket

import pytest
from django.core.exceptions import ValidationError

from community.models import Role
from community.tests.factories import OrganisationFactory, staff
from ideas.backlog import actions, egress
from ideas.backlog.models import WebhookDelivery, WebhookEndpoint
from ideas.backlog.tasks import attempt_delivery
from ideas.backlog.tests.factories import (
    SECRET,
    BacklogItemFactory,
    WebhookEndpointFactory,
    designer,
)
from ideas.backlog.tests.test_webhooks import FlakyTracker

pytestmark = pytest.mark.django_db

INTERNAL = [
    "http://127.0.0.1:6379/",
    "http://localhost:8000/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://100.64.0.1/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_agency_admins_cannot_point_the_tracker_at_internal_addresses(url):
    agency = OrganisationFactory()
    admin = staff(Role.AGENCY_ADMIN, agency)
    with pytest.raises(ValidationError) as caught:
        actions.webhook_configure(user=admin, agency=agency, url=url, secret=SECRET)
    assert "private network" in str(caught.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_an_explicitly_allowed_intranet_range_can_be_used(settings):
    settings.BACKLOG = {**settings.BACKLOG, "WEBHOOK_ALLOWED_NETWORKS": ["10.0.0.0/8"]}
    agency = OrganisationFactory()
    admin = staff(Role.AGENCY_ADMIN, agency)
    endpoint = actions.webhook_configure(
        user=admin, agency=agency, url="http://10.1.2.3/hook", secret=SECRET
    )
    assert endpoint.url == "http://10.1.2.3/hook"
    with pytest.raises(ValidationError):  # the allowance is for that range only
        actions.webhook_configure(
            user=admin, agency=agency, url="http://192.168.0.10/hook", secret=SECRET
        )


def test_an_unknown_host_is_explained():
    with pytest.raises(ValidationError) as caught:
        egress.check_destination("https://no-such-host.invalid/hook")
    assert "could not find the server" in caught.value.messages[0]


def test_public_addresses_pass_the_check(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))
        ],
    )
    destination = egress.check_destination("https://tracker.example/hooks/in?x=1")
    assert (destination.host, destination.port, destination.path, destination.address) == (
        "tracker.example",
        443,
        "/hooks/in?x=1",
        "93.184.215.14",
    )


def test_a_host_with_any_internal_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ],
    )
    with pytest.raises(ValidationError):
        egress.check_destination("https://tracker.example/hook")


def test_a_stored_url_that_now_points_inside_is_not_called_at_delivery():
    """A tracker whose name was re-pointed at an internal address after it was saved."""
    agency = OrganisationFactory()
    with FlakyTracker(failures=0) as tracker:
        WebhookEndpointFactory(agency=agency, url=tracker.url)  # written around the service
        item = BacklogItemFactory(agency=agency)
        actions.item_update(user=designer(agency), item=item, title="Renamed")
        delivery = WebhookDelivery.objects.get()
        attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert tracker.requests == []
    assert delivery.state == WebhookDelivery.State.PENDING and delivery.attempts == 1
    assert "private network" in delivery.last_error


def test_the_request_goes_to_the_checked_address_with_the_original_host(monkeypatch, settings):
    settings.BACKLOG = {**settings.BACKLOG, "WEBHOOK_ALLOWED_NETWORKS": ["127.0.0.0/8"]}
    real = socket.getaddrinfo
    with FlakyTracker(failures=0) as tracker:
        port = tracker.server.server_port
        monkeypatch.setattr(
            socket,
            "getaddrinfo",
            lambda host, *args, **kw: real(
                "127.0.0.1" if host == "tracker.example" else host, *args, **kw
            ),
        )
        status = egress.post(
            f"http://tracker.example:{port}/hook",
            body=b"{}",
            headers={"Content-Type": "application/json"},
            timeout=5,
        )
    assert status == 200
    assert tracker.requests[0]["headers"]["Host"] == f"tracker.example:{port}"
