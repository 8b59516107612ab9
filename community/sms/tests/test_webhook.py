"""The webhook: signatures, replays, STOP/START, unknown and unverified numbers."""

from __future__ import annotations

import pytest

from community.sms.models import BlockedNumber, PhoneNumber, TextMessage
from community.sms.tests.factories import PhoneNumberFactory, text_in

pytestmark = pytest.mark.django_db


def _send(client, capture, **kwargs):
    with capture(execute=True):
        return text_in(client, **kwargs)


def test_unsigned_callback_is_refused_and_records_nothing(client, sms):
    response = text_in(client, sender="+447700900001", body="HELP", message_id="m1", sign=False)
    assert response.status_code == 403
    assert not TextMessage.objects.exists()
    assert sms == []


def test_callback_signed_with_the_wrong_secret_is_refused(client, sms):
    response = text_in(client, sender="+447700900001", body="HELP", message_id="m1", secret="guess")
    assert response.status_code == 403
    assert not TextMessage.objects.exists()


def test_replayed_callback_is_answered_once(client, sms, django_capture_on_commit_callbacks):
    first = _send(
        client,
        django_capture_on_commit_callbacks,
        sender="+447700900001",
        body="HELP",
        message_id="m1",
    )
    again = _send(
        client,
        django_capture_on_commit_callbacks,
        sender="+447700900001",
        body="HELP",
        message_id="m1",
    )
    assert first.status_code == again.status_code == 204
    assert len(sms) == 1
    assert TextMessage.objects.filter(direction="in").count() == 1


def test_unknown_number_is_told_how_to_link_it(client, sms, django_capture_on_commit_callbacks):
    _send(
        client,
        django_capture_on_commit_callbacks,
        sender="07700 900002",
        body="PARKS more benches",
        message_id="m2",
    )
    assert sms[0]["to"] == "+447700900002"
    assert "We do not know this number yet" in sms[0]["body"]
    assert "/accounts/phone/" in sms[0]["body"]


def test_unverified_number_cannot_use_commands(client, sms, django_capture_on_commit_callbacks):
    phone = PhoneNumberFactory(verified_at=None)
    _send(
        client,
        django_capture_on_commit_callbacks,
        sender=phone.number,
        body="YES 1",
        message_id="m3",
    )
    assert "We do not know this number yet" in sms[0]["body"]


def test_blocked_number_gets_no_answer(client, sms, django_capture_on_commit_callbacks):
    phone = PhoneNumberFactory()
    BlockedNumber.objects.create(number=phone.number, reason="spam")
    response = _send(
        client,
        django_capture_on_commit_callbacks,
        sender=phone.number,
        body="HELP",
        message_id="m4",
    )
    assert response.status_code == 204
    assert sms == []


def test_stop_ends_texts_and_start_resumes_them(client, sms, django_capture_on_commit_callbacks):
    phone = PhoneNumberFactory()
    _send(
        client, django_capture_on_commit_callbacks, sender=phone.number, body="stop", message_id="a"
    )
    assert "no more texts" in sms[-1]["body"]
    assert PhoneNumber.objects.get(pk=phone.pk).stopped_at is not None
    _send(
        client, django_capture_on_commit_callbacks, sender=phone.number, body="HELP", message_id="b"
    )
    assert len(sms) == 1, "nothing is sent to a number that texted STOP"
    _send(
        client,
        django_capture_on_commit_callbacks,
        sender=phone.number,
        body="START",
        message_id="c",
    )
    assert PhoneNumber.objects.get(pk=phone.pk).stopped_at is None
    assert "Welcome back" in sms[-1]["body"]


def test_reply_is_in_the_senders_language(client, sms, django_capture_on_commit_callbacks):
    phone = PhoneNumberFactory(user__language="es")
    _send(
        client, django_capture_on_commit_callbacks, sender=phone.number, body="STOP", message_id="d"
    )
    assert "START" in sms[0]["body"]
    assert "no more texts" not in sms[0]["body"]


def test_over_long_text_is_refused_with_the_limit(client, sms, django_capture_on_commit_callbacks):
    phone = PhoneNumberFactory()
    _send(
        client,
        django_capture_on_commit_callbacks,
        sender=phone.number,
        body="PARKS " + "a" * 400,
        message_id="e",
    )
    assert "too long" in sms[0]["body"]
    assert "320" in sms[0]["body"]


@pytest.mark.parametrize("body", ["PARKS more\u0000benches", "PARKS \ud800", "YES 1\u0007"])
def test_text_with_unstorable_characters_is_answered_and_posts_nothing(
    client, sms, django_capture_on_commit_callbacks, body
):
    phone = PhoneNumberFactory()
    response = _send(
        client, django_capture_on_commit_callbacks, sender=phone.number, body=body, message_id="u"
    )
    assert response.status_code == 204
    assert "character we cannot read" in sms[0]["body"]
    received = TextMessage.objects.get(direction="in")
    assert "\x00" not in received.body and "\ud800" not in received.body
