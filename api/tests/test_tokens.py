"""Personal API tokens: made and revoked on the account page, hashed at rest, shown once."""

from __future__ import annotations

import pytest

from api.models import ApiToken
from api.services import MAX_ACTIVE_TOKENS, hash_token, token_authenticate, token_create
from community.tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    persona = PersonaFactory()
    client.force_login(persona.account)
    return client, persona


def test_token_is_shown_once_and_stored_only_as_a_hash(signed_in):
    client, persona = signed_in
    response = client.post("/accounts/api-tokens/", {"name": "Bus app"})
    assert response.status_code == 200
    token = ApiToken.objects.get(account=persona.account)
    html = response.content.decode()
    raw = html.split('id="token-value" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith(f"cc_{token.prefix}_")
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert "no-store" in response["Cache-Control"]
    later = client.get("/accounts/api-tokens/").content.decode()
    assert "Bus app" in later and raw not in later


def test_name_is_required_and_the_error_says_what_to_do(signed_in):
    client, _persona = signed_in
    response = client.post("/accounts/api-tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token(signed_in):
    client, persona = signed_in
    token, raw = token_create(user=persona.account, name="Old")
    response = client.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert token_authenticate(raw) is None


def test_cannot_revoke_someone_elses_token(signed_in):
    client, _persona = signed_in
    other = PersonaFactory()
    token, raw = token_create(user=other.account, name="Theirs")
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert token_authenticate(raw) is not None


def test_token_page_needs_sign_in(client):
    assert client.get("/accounts/api-tokens/").status_code == 302


def test_number_of_active_tokens_is_capped(db):
    persona = PersonaFactory()
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=persona.account, name=f"t{n}")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(user=persona.account, name="one too many")


def test_inactive_account_token_does_not_work(db):
    persona = PersonaFactory()
    _token, raw = token_create(user=persona.account, name="x")
    persona.account.is_active = False
    persona.account.save()
    assert token_authenticate(raw) is None
