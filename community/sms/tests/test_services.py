"""Adding and confirming a number; the owner's page; privacy."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from community import actions as community_actions
from community import privacy
from community.sms import services
from community.sms.models import PhoneNumber, TextMessage
from community.sms.tests.factories import PhoneNumberFactory
from community.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700-900123".replace("(0)", ""), "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("+1 415 555 0100", "+14155550100"),
    ],
)
def test_numbers_are_stored_in_e164(typed, stored):
    assert services.normalise_number(typed) == stored


@pytest.mark.parametrize("typed", ["", "12", "call me", "+0123456789"])
def test_a_number_that_is_not_one_says_how_to_type_it(typed):
    with pytest.raises(ValidationError, match="area code"):
        services.normalise_number(typed)


def _code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1]["body"]).group(1)


def test_a_number_is_confirmed_with_the_code_we_texted(sms, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.phone_add(user=user, number="07700 900123")
    phone = PhoneNumber.objects.get(user=user)
    assert phone.number == "+447700900123"
    assert not phone.is_verified
    with pytest.raises(ValidationError, match="not right"):
        services.phone_verify(user=user, code="000000" if _code(sms) != "000000" else "111111")
    services.phone_verify(user=user, code=_code(sms))
    assert PhoneNumber.objects.get(user=user).is_verified


def test_guessing_the_code_stops_after_five_tries(sms, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.phone_add(user=user, number="07700 900123")
    wrong = "000000" if _code(sms) != "000000" else "111111"
    for _ in range(services.CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.phone_verify(user=user, code=wrong)
    with pytest.raises(ValidationError, match="no longer works"):
        services.phone_verify(user=user, code=_code(sms))


def test_a_number_confirmed_by_someone_else_is_refused(sms):
    PhoneNumberFactory(number="+447700900123")
    with pytest.raises(ValidationError, match="another account"):
        services.phone_add(user=UserFactory(), number="07700900123")


def test_the_owner_sees_only_the_last_digits(client, sms):
    phone = PhoneNumberFactory(number="+447700900123")
    client.force_login(phone.user)
    page = client.get("/accounts/phone/").content.decode()
    assert "123" in page
    assert "+447700900123" not in page
    assert "7700900" not in page


def test_the_number_and_texts_are_in_the_export_and_erased_with_the_account(sms):
    phone = PhoneNumberFactory()
    services.text_queue(number=phone.number, body="Hello", user=phone.user)
    export = privacy.build_export(phone.user)
    assert export["sections"]["sms_phone"]["items"][0]["number"] == phone.number
    assert export["sections"]["sms_texts"]["items"][0]["body"] == "Hello"
    community_actions.account_delete(user=phone.user)
    assert not PhoneNumber.objects.exists()
    assert not TextMessage.objects.exists()
