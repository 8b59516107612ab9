"""The development phone page (/dev/phone/) and the webhook's refusal reasons."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from community.sms.models import TextMessage
from community.sms.tests.factories import PhoneNumberFactory, text_in

pytestmark = pytest.mark.django_db
URL = "/dev/phone/"


def test_dev_phone_is_not_found_with_debug_off(client, sms, settings):
    settings.DEBUG = False
    assert client.get(URL).status_code == 404
    response = client.post(URL, {"number": "+447700900555", "body": "HELP"})
    assert response.status_code == 404
    assert not TextMessage.objects.exists()


def test_dev_phone_is_not_found_with_a_real_gateway(client, sms, settings):
    settings.DEBUG = True
    settings.SMS = {**settings.SMS, "PROVIDER": "twilio"}
    assert client.get(URL).status_code == 404


def test_dev_phone_lists_demo_numbers(client, sms, settings):
    settings.DEBUG = True
    phone = PhoneNumberFactory(user__first_name="Rosa", user__last_name="Demo")
    page = client.get(URL).content.decode()
    assert phone.number in page
    assert "Rosa Demo" in page


def test_text_sent_from_dev_phone_goes_through_the_signed_webhook_and_shows_the_reply(
    client, sms, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    phone = PhoneNumberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"number": phone.number, "body": "HELP"})
    assert response.status_code == 302
    received = TextMessage.objects.get(direction="in")
    assert received.number == phone.number and received.body == "HELP"
    assert received.provider_id.startswith("dev-")
    reply = TextMessage.objects.get(direction="out")
    assert reply.number == phone.number and "To send an idea" in reply.body
    page = client.get(response["Location"]).content.decode()
    assert "To send an idea" in page
    assert "HELP" in page


def test_dev_phone_refuses_an_empty_text_with_a_clear_message(client, sms, settings):
    settings.DEBUG = True
    response = client.post(URL, {"number": "+447700900555", "body": ""})
    assert response.status_code == 400
    assert "Type the text to send." in response.content.decode()
    assert not TextMessage.objects.exists()


def test_refusal_log_says_the_secret_is_missing_and_what_to_set(client, sms, settings, caplog):
    settings.SMS = {**settings.SMS, "WEBHOOK_SECRET": ""}
    with caplog.at_level(logging.WARNING, logger="community.sms.views"):
        response = text_in(client, sender="+447700900001", body="HELP", message_id="m1")
    assert response.status_code == 403
    assert "SMS_WEBHOOK_SECRET is not set" in caplog.text


def test_refusal_log_tells_a_bad_signature_from_a_missing_one(client, sms, caplog):
    with caplog.at_level(logging.WARNING, logger="community.sms.views"):
        text_in(client, sender="+447700900001", body="HELP", message_id="m1", secret="guess")
        text_in(client, sender="+447700900001", body="HELP", message_id="m2", sign=False)
    assert "does not match the body" in caplog.text
    assert "header is missing" in caplog.text


def _sms_secret(**env: str) -> str:
    root = Path(__file__).resolve().parents[3]
    code = "from django.conf import settings; print(repr(settings.SMS['WEBHOOK_SECRET']))"
    clean = {
        k: v
        for k, v in __import__("os").environ.items()
        if not k.startswith("SMS_") and k != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env={**clean, "STARTUP_CHECK": "false", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_debug_generates_a_webhook_secret_and_production_does_not():
    assert len(_sms_secret(DJANGO_DEBUG="true")) > 20
    production = _sms_secret(
        DJANGO_DEBUG="false",
        SECRET_KEY="kq3Jx9-not-used-for-anything-but-this-check-Zp81LmW0vR5tY2uB7nC4",
        ALLOWED_HOSTS="civic.example",
        WEBHOOK_SECRET_KEYS="dGVzdC1vbmx5LWtleS1mb3Itc3RhcnQtdXAtY2hlY2s=",
    )
    assert production == "''"
