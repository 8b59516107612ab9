"""Optional two-factor sign-in with allauth.mfa: TOTP and recovery codes."""

from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.urls import reverse

from community.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
COUNTER = 58_000_000  # a fixed TOTP time step, so the test never depends on the clock


def _code(secret: str, counter: int) -> str:
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def _at(counter: int):
    return mock.patch.object(totp, "yield_hotp_counters_from_time", lambda: iter([counter]))


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def _enable_totp(client) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    # Turning on MFA asks for the password again (allauth's reauthentication).
    assert page.status_code == 302 and reverse("account_reauthenticate") in page["Location"]
    again = client.post(page["Location"], {"password": PASSWORD})
    assert again.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    with _at(COUNTER):
        response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret, COUNTER)})
    assert response.status_code == 302
    return secret


def test_enabling_totp_then_signing_in_asks_for_and_accepts_a_code(client):
    user = UserFactory(email="careful@example.org")
    _sign_in(client, user.email)
    secret = _enable_totp(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.logout()
    first_step = _sign_in(client, user.email)
    assert first_step.status_code == 302
    assert first_step["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    with _at(COUNTER + 1):
        done = client.post(reverse("mfa_authenticate"), {"code": _code(secret, COUNTER + 1)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_code_is_refused_with_a_message(client):
    user = UserFactory(email="careful@example.org")
    _sign_in(client, user.email)
    secret = _enable_totp(client)
    client.logout()
    _sign_in(client, user.email)
    with _at(COUNTER + 1):
        response = client.post(reverse("mfa_authenticate"), {"code": _code(secret, COUNTER - 50)})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory(email="careful@example.org")
    _sign_in(client, user.email)
    _enable_totp(client)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    client.logout()
    _sign_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    _sign_in(client, user.email)
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "_auth_user_id" not in client.session
