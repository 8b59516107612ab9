"""OpenID Connect providers from the environment, and a full sign-in against a fake provider.

The provider's discovery, token, userinfo and JWKS endpoints are served by a requests
transport adapter, so nothing touches the network.
"""

import json
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse

from community.models import Persona, User
from config.env import ConfigError, oidc_apps

ISSUER = "https://id.example.test"
CLIENT_ID = "civic-commons"


def _providers(*entries):
    return json.dumps(list(entries))


GOVID = {
    "id": "govid",
    "name": "GovID",
    "server_url": ISSUER,
    "client_id": CLIENT_ID,
    "secret": "shh",
}
BANK = {
    "id": "bank",
    "name": "Northvale Bank",
    "server_url": "https://bank.example.test",
    "client_id": "cc",
    "secret": "x",
}


def test_any_number_of_providers_become_allauth_apps():
    apps = oidc_apps(_providers(GOVID, BANK))
    assert [a["provider_id"] for a in apps] == ["govid", "bank"]
    assert apps[0]["settings"]["server_url"] == ISSUER
    assert apps[1]["name"] == "Northvale Bank"
    assert oidc_apps(None) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x"}', "must be a JSON list"),
        (_providers({"id": "govid", "name": "GovID"}), "missing server_url, client_id"),
        (_providers({**GOVID, "id": "Gov ID"}), "must be unique"),
        (_providers(GOVID, GOVID), "must be unique"),
        (_providers({**GOVID, "server_url": "ftp://x"}), "https:// issuer URL"),
    ],
)
def test_malformed_provider_configuration_names_the_variable(raw, message):
    with pytest.raises(ConfigError, match=message) as exc:
        oidc_apps(raw)
    assert "OIDC_PROVIDERS" in str(exc.value)


def _configured(*entries):
    return override_settings(
        SOCIALACCOUNT_PROVIDERS={
            "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": oidc_apps(_providers(*entries))}
        }
    )


@pytest.mark.django_db
def test_login_page_shows_a_button_per_configured_provider(client):
    with _configured(GOVID, BANK):
        html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with GovID" in html
    assert "Sign in with Northvale Bank" in html
    assert "/accounts/oidc/govid/login/" in html


@pytest.mark.django_db
def test_login_page_has_no_provider_buttons_when_none_configured(client):
    with _configured():
        html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with" not in html


class FakeProvider(requests.adapters.BaseAdapter):
    """An OpenID Connect provider answering discovery, token, userinfo and JWKS requests."""

    def __init__(self, claims):
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims = claims
        self.nonce = None
        self.requests = []

    def _id_token(self):
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            **self.claims,
        }
        if self.nonce:
            payload["nonce"] = self.nonce
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "k1"})

    def send(self, request, **kwargs):
        self.requests.append(request)
        path = urlsplit(request.url).path
        if path == "/.well-known/openid-configuration":
            body = {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/authorize",
                "token_endpoint": f"{ISSUER}/token",
                "userinfo_endpoint": f"{ISSUER}/userinfo",
                "jwks_uri": f"{ISSUER}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            }
        elif path == "/token":
            form = parse_qs(
                request.body if isinstance(request.body, str) else request.body.decode()
            )
            assert form["code"] == ["good-code"]
            assert form.get("code_verifier")  # PKCE
            body = {
                "access_token": "at-123",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self._id_token(),
            }
        elif path == "/userinfo":
            assert request.headers["Authorization"] == "Bearer at-123"
            body = self.claims
        elif path == "/jwks":
            public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            body = {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}
        else:
            body = {"error": "not found"}
        response = requests.Response()
        response.status_code = 200 if "error" not in body else 404
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.mark.django_db
def test_callback_signs_up_through_the_fake_provider_and_asks_for_a_public_name(client):
    provider = FakeProvider(
        {
            "sub": "citizen-0042",
            "email": "resident@example.org",
            "email_verified": True,
            "given_name": "Real",
            "family_name": "Name",
        }
    )

    def session(self):
        s = requests.Session()
        s.mount(ISSUER, provider)
        return s

    with (
        _configured(GOVID),
        mock.patch.object(DefaultSocialAccountAdapter, "get_requests_session", session),
    ):
        start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "govid"}))
        assert start.status_code == 302
        authorize = urlsplit(start["Location"])
        assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{ISSUER}/authorize"
        query = parse_qs(authorize.query)
        assert query["client_id"] == [CLIENT_ID]
        provider.nonce = query.get("nonce", [None])[0]

        callback = client.get(
            reverse("openid_connect_callback", kwargs={"provider_id": "govid"}),
            {"code": "good-code", "state": query["state"][0]},
        )
        assert callback.status_code == 302
        assert callback["Location"] == reverse("socialaccount_signup")
        form = client.get(callback["Location"])
        assert b"Public name" in form.content
        done = client.post(
            reverse("socialaccount_signup"),
            {"email": "resident@example.org", "display_name": "Quiet Neighbour"},
        )
    assert done.status_code == 302
    account = SocialAccount.objects.get(provider="govid", uid="citizen-0042")
    user = User.objects.get(pk=account.user_id)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Persona.objects.get(account=user).display_name == "Quiet Neighbour"
    # The real name stays private: it is on the account, never on the persona.
    assert not Persona.objects.filter(display_name__icontains="Real").exists()
    paths = [urlsplit(r.url).path for r in provider.requests]
    assert "/token" in paths and "/userinfo" in paths


@pytest.mark.django_db
def test_callback_with_a_forged_state_signs_nobody_in(client):
    provider = FakeProvider({"sub": "x", "email": "x@example.org", "email_verified": True})

    def session(self):
        s = requests.Session()
        s.mount(ISSUER, provider)
        return s

    with (
        _configured(GOVID),
        mock.patch.object(DefaultSocialAccountAdapter, "get_requests_session", session),
    ):
        client.post(reverse("openid_connect_login", kwargs={"provider_id": "govid"}))
        response = client.get(
            reverse("openid_connect_callback", kwargs={"provider_id": "govid"}),
            {"code": "good-code", "state": "forged"},
        )
    assert response.status_code == 401
    assert b'class="site-header"' in response.content
    assert b"error" in response.content.lower()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
