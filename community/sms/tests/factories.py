"""Factories and helpers for text-message tests; ideas' SMS tests import these."""

from __future__ import annotations

import json

import factory
from django.utils import timezone

from community.sms.gateways import ConsoleGateway
from community.sms.models import PhoneNumber
from community.tests.factories import UserFactory

SECRET = "test-webhook-secret"


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneNumber

    user = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"+44770090{n:04d}")
    verified_at = factory.LazyFunction(timezone.now)


def text_in(client, *, sender: str, body: str, message_id: str, secret: str = SECRET, sign=True):
    """POST one incoming text to the webhook as the console gateway would."""
    raw = json.dumps({"id": message_id, "from": sender, "body": body}).encode()
    headers = {"HTTP_X_SMS_SIGNATURE": ConsoleGateway.sign(raw, secret)} if sign else {}
    return client.post("/sms/inbound/", raw, content_type="application/json", **headers)
