"""The Twilio adapter: its webhook signature scheme and its Messages API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from unittest import mock

import pytest

from community.sms import gateways
from community.sms.models import TextMessage
from community.sms.tests.factories import PhoneNumberFactory

pytestmark = pytest.mark.django_db

TOKEN = "twilio-auth-token"
URL = "https://civic.example/sms/inbound/"


@pytest.fixture
def twilio(settings):
    settings.SITE_URL = "https://civic.example"
    settings.SMS = {
        **settings.SMS,
        "PROVIDER": "twilio",
        "ACCOUNT_ID": "AC123",
        "AUTH_TOKEN": TOKEN,
        "FROM_NUMBER": "+447700900000",
    }


def _twilio_signature(params: dict[str, str], token: str = TOKEN) -> str:
    # Twilio's documented scheme, written out independently of the adapter.
    data = URL + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _params(sid: str = "SM1", body: str = "HELP", sender: str = "+447700900555") -> dict:
    return {"MessageSid": sid, "From": sender, "To": "+447700900000", "Body": body}


def _post(client, params, signature):
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature is not None else {}
    return client.post("/sms/inbound/", params, **headers)


def _sent_ok(*_args, **_kwargs):
    return io.BytesIO(json.dumps({"sid": "SMout"}).encode())


def test_a_correctly_signed_twilio_text_is_handled(
    client, twilio, django_capture_on_commit_callbacks
):
    params = _params()
    with (
        mock.patch("urllib.request.urlopen", side_effect=_sent_ok) as urlopen,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _post(client, params, _twilio_signature(params))
    assert response.status_code == 200
    assert b"<Response>" in response.content
    assert TextMessage.objects.filter(direction="in", provider_id="SM1").exists()
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert b"To=%2B447700900555" in request.data
    out = TextMessage.objects.get(direction="out")
    assert out.state == "sent"
    assert out.provider_id == "SMout"


@pytest.mark.parametrize(
    "signature", [None, "", "bm90IGEgc2lnbmF0dXJl", _twilio_signature(_params(), "wrong-token")]
)
def test_missing_or_wrong_twilio_signature_is_refused(client, twilio, signature):
    response = _post(client, _params(), signature)
    assert response.status_code == 403
    assert not TextMessage.objects.exists()


def test_a_tampered_body_fails_the_signature(client, twilio):
    signature = _twilio_signature(_params(body="HELP"))
    response = _post(client, _params(body="YES 1"), signature)
    assert response.status_code == 403


def test_a_replayed_twilio_callback_is_handled_once(
    client, twilio, django_capture_on_commit_callbacks
):
    params = _params(sid="SMreplay")
    with (
        mock.patch("urllib.request.urlopen", side_effect=_sent_ok) as urlopen,
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = _post(client, params, _twilio_signature(params))
        second = _post(client, params, _twilio_signature(params))
    assert first.status_code == second.status_code == 200
    assert TextMessage.objects.filter(direction="in").count() == 1
    assert urlopen.call_count == 1


def test_a_provider_failure_marks_the_text_failed_not_sent(twilio):
    from community.sms import services, tasks

    phone = PhoneNumberFactory()
    message = services.text_queue(number=phone.number, body="Hello")
    with mock.patch("urllib.request.urlopen", side_effect=OSError("down")):
        assert tasks.text_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == "failed"
    assert "down" in message.error


def test_a_sent_text_is_never_sent_twice(sms):
    from community.sms import services, tasks

    phone = PhoneNumberFactory()
    message = services.text_queue(number=phone.number, body="Hello")
    assert tasks.text_deliver(message_id=message.pk) is True
    assert tasks.text_deliver(message_id=message.pk) is False
    assert len(gateways.outbox) == 1


def test_a_twilio_text_with_a_control_character_gets_a_text_back_not_a_400(
    client, twilio, django_capture_on_commit_callbacks
):
    """The webhook is exempt from the site-wide 400 for refused characters: the sender
    would never see a 400, so the answer comes back by text."""
    params = _params(body="HELP\x01")
    with (
        mock.patch("urllib.request.urlopen", side_effect=_sent_ok) as urlopen,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _post(client, params, _twilio_signature(params))
    assert response.status_code == 200
    assert urlopen.called
