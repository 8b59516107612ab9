"""OpenID Connect providers from the environment, and a full sign-in against a fake provider.

The provider's discovery, token, userinfo and JWKS endpoints are served by a requests
transport adapter, so nothing touches the network.
"""

import json
import logging
import os
import subprocess
import sys
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
def test_connections_page_offers_to_link_each_provider(client):
    from community.tests.factories import UserFactory

    client.force_login(UserFactory())
    with _configured(GOVID, BANK):
        html = client.get(reverse("socialaccount_connections")).content.decode()
    assert "Link your GovID account" in html
    assert "/accounts/oidc/govid/login/?process=connect" in html
    assert "Sign in with" not in html


@pytest.mark.django_db
def test_login_page_has_no_provider_buttons_when_none_configured(client):
    with _configured():
        html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with" not in html


class FakeProvider(requests.adapters.BaseAdapter):
    """An OpenID Connect provider answering discovery, token, userinfo and JWKS requests."""

    def __init__(self, claims, *, end_session=f"{ISSUER}/logout?tenant=x", token_status=200):
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims = claims
        self.nonce = None
        self.requests = []
        self.end_session = end_session
        self.token_status = token_status
        self.issued = []

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
            if self.end_session:
                body["end_session_endpoint"] = self.end_session
        elif path == "/token":
            form = parse_qs(
                request.body if isinstance(request.body, str) else request.body.decode()
            )
            assert form["code"] == ["good-code"]
            assert form.get("code_verifier")  # PKCE
            if self.token_status != 200:
                body = {"error": "invalid_grant", "error_description": "authorization code expired"}
            else:
                self.issued.append(self._id_token())
                body = {
                    "access_token": "at-123",
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.issued[-1],
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
        response.status_code = 200 if "error" not in body else 400
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


# -- OIDC_PROVIDERS: every value type-checked at start-up ------------------------------------


def _one(**changes):
    return oidc_apps(_providers({**GOVID, **changes}))[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scope": 5}, r"OIDC_PROVIDERS\[0\] \(govid\)\.scope must be a list of names"),
        ({"scope": ["openid", 5]}, r"\(govid\)\.scope must be a list of names"),
        ({"scope": "email profile"}, r"\(govid\)\.scope must include openid"),
        ({"pkce": "no"}, r"\(govid\)\.pkce must be true or false, not 'no'"),
        ({"pkce": 2}, r"\(govid\)\.pkce must be true or false"),
        ({"server_url": "https://id.example.test:99999"}, r"\(govid\)\.server_url .*port out"),
        ({"server_url": "http://id.example.test"}, r"\(govid\)\.server_url must use https://"),
        ({"client_id": 5}, r"\(govid\)\.client_id must be a non-empty string, not 5"),
        ({"name": ["GovID"]}, r"\(govid\)\.name must be a non-empty string"),
        ({"secret": 12}, r"\(govid\)\.secret must be a non-empty string"),
        ({"scopes": "openid"}, r"\(govid\) has unknown key 'scopes': use id, name"),
        ({"token_auth_method": "private_key_jwt"}, r"\(govid\)\.token_auth_method must be"),
    ],
)
def test_a_mistyped_provider_value_is_one_clear_line_naming_provider_and_key(changes, message):
    with pytest.raises(ConfigError, match=message) as exc:
        _one(**changes)
    assert "\n" not in str(exc.value)


def test_a_scope_string_is_a_space_separated_list_not_letters():
    assert _one(scope="openid email")["settings"]["scope"] == ["openid", "email"]
    assert _one(scope=["openid", "email profile"])["settings"]["scope"] == [
        "openid",
        "email",
        "profile",
    ]
    assert "scope" not in _one()["settings"]  # allauth's default: openid profile email


@pytest.mark.parametrize(
    ("value", "enabled"),
    [(True, True), (False, False), ("true", True), ("false", False), ("1", True), ("0", False)],
)
def test_pkce_accepts_booleans_and_their_usual_strings(value, enabled):
    assert _one(pkce=value)["settings"]["oauth_pkce_enabled"] is enabled


def test_plain_http_is_allowed_only_for_a_provider_on_this_machine():
    assert _one(server_url="http://127.0.0.1:9000")["settings"]["server_url"].startswith("http:")


def test_two_providers_with_the_same_client_id_are_refused_at_start_up():
    with pytest.raises(ConfigError) as exc:
        oidc_apps(_providers(GOVID, {**BANK, "client_id": CLIENT_ID}))
    assert str(exc.value) == (
        "OIDC_PROVIDERS[1] (bank).client_id 'civic-commons' is also the client_id of "
        "OIDC_PROVIDERS[0] (govid): each provider needs its own client_id (sign-in could not "
        "tell them apart)."
    )


def _settings_in_a_fresh_process(providers: str, expression: str):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "OIDC_PROVIDERS": providers,
        "STARTUP_CHECK": "false",
    }
    code = (
        "import json, django\ndjango.setup()\nfrom django.conf import settings\n"
        "from django.utils.csp import build_policy\n"
        f"print(json.dumps({expression}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_bad_provider_stops_start_up_with_one_line():
    done = _settings_in_a_fresh_process(_providers(GOVID, {**BANK, "client_id": CLIENT_ID}), "1")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "configuration error: OIDC_PROVIDERS[1] (bank).client_id 'civic-commons' is also the "
        "client_id of OIDC_PROVIDERS[0] (govid): each provider needs its own client_id (sign-in "
        "could not tell them apart)."
    ]


# -- Content-Security-Policy: forms may lead to the configured providers, and nowhere else ---


def test_the_built_policy_lets_forms_lead_to_exactly_the_configured_providers():
    providers = _providers(
        GOVID,
        {**BANK, "server_url": "https://bank.example.test:8443/realms/citizens"},
        {**GOVID, "id": "govid-test", "client_id": "other", "server_url": f"{ISSUER}/test/"},
        {**BANK, "id": "local", "client_id": "local", "server_url": "http://127.0.0.1:9000"},
    )
    done = _settings_in_a_fresh_process(
        providers,
        "[build_policy(settings.SECURE_CSP), build_policy(settings.SECURE_CSP_ADMIN)]",
    )
    assert done.returncode == 0, done.stderr
    public, admin = json.loads(done.stdout)
    form_action = next(d for d in public.split("; ") if d.startswith("form-action"))
    assert form_action == (
        "form-action 'self' https://id.example.test https://bank.example.test:8443 "
        "http://127.0.0.1:9000"
    )
    assert "form-action 'self';" in admin + ";"  # nobody signs in to the admins that way


def test_without_providers_forms_lead_only_to_this_site():
    done = _settings_in_a_fresh_process("", "settings.SECURE_CSP['form-action']")
    assert json.loads(done.stdout) == ["'self'"]


# -- Sign-out ends the provider's session (RP-Initiated Logout 1.0) --------------------------


def _sign_up_through(client, provider, process="login"):
    def session(self):
        s = requests.Session()
        s.mount(ISSUER, provider)
        return s

    with mock.patch.object(DefaultSocialAccountAdapter, "get_requests_session", session):
        start = client.post(
            reverse("openid_connect_login", kwargs={"provider_id": "govid"}) + f"?process={process}"
        )
        query = parse_qs(urlsplit(start["Location"]).query)
        provider.nonce = query.get("nonce", [None])[0]
        callback = client.get(
            reverse("openid_connect_callback", kwargs={"provider_id": "govid"}),
            {"code": "good-code", "state": query["state"][0]},
        )
        if callback.status_code != 302 or callback["Location"] != reverse("socialaccount_signup"):
            return callback
        return client.post(
            reverse("socialaccount_signup"),
            {"email": provider.claims["email"], "display_name": "Quiet Neighbour"},
        )


CLAIMS = {"sub": "citizen-7", "email": "seven@example.org", "email_verified": True}


@pytest.mark.django_db
def test_signing_out_sends_the_browser_to_end_the_provider_session_with_the_id_token(client):
    provider = FakeProvider(CLAIMS)
    with _configured(GOVID):
        _sign_up_through(client, provider)
        assert "_auth_user_id" in client.session
        response = client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/logout"
    query = parse_qs(target.query)
    assert query["tenant"] == ["x"]  # the endpoint's own query is kept
    assert query["id_token_hint"] == [provider.issued[-1]]
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]


@pytest.mark.parametrize(
    "end_session",
    [None, "https://elsewhere.example.test/logout"],
    ids=["no endpoint", "endpoint on an origin the policy does not allow"],
)
@pytest.mark.django_db
def test_without_an_end_session_endpoint_sign_out_says_the_provider_session_stays(
    client, end_session
):
    provider = FakeProvider(CLAIMS, end_session=end_session)
    with _configured(GOVID):
        _sign_up_through(client, provider)
        page = client.get(reverse("account_logout")).content.decode()
        response = client.post(reverse("account_logout"), follow=True)
    assert "You signed in with GovID, which cannot be signed out from here" in page
    assert response.redirect_chain[0][0] == "/"
    assert "_auth_user_id" not in client.session
    shown = [str(m) for m in response.context["messages"]]
    assert any("On a shared computer, go to GovID and sign out there" in m for m in shown)


@pytest.mark.django_db
def test_signing_out_after_linking_a_provider_ends_that_provider_session_too(client):
    from community.tests.factories import UserFactory

    user = UserFactory(email="linker@example.org")
    client.force_login(user)
    provider = FakeProvider({**CLAIMS, "email": "linker@example.org"})
    with _configured(GOVID):
        linked = _sign_up_through(client, provider, process="connect")
        assert linked.status_code == 302
        assert SocialAccount.objects.filter(user=user, provider="govid").exists()
        response = client.post(reverse("account_logout"))
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(f"{ISSUER}/logout?")
    assert query["id_token_hint"] == [provider.issued[-1]]


@pytest.mark.django_db
def test_signing_out_after_a_password_sign_in_stays_on_this_site(client):
    from community.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    with _configured(GOVID):
        response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"


# -- A provider failure's cause is logged, never its codes or tokens --------------------------


@pytest.mark.django_db
def test_a_failed_provider_sign_in_logs_the_provider_error_and_exception_class(client, caplog):
    provider = FakeProvider(CLAIMS, token_status=400)
    with _configured(GOVID), caplog.at_level(logging.WARNING, logger="community.accounts"):
        response = _sign_up_through(client, provider)
    assert response.status_code == 401
    records = [
        r for r in caplog.records if r.getMessage().startswith("sign-in through a provider failed")
    ]
    assert len(records) == 1
    record = records[0]
    assert record.provider == "govid"
    assert record.exception == "OAuth2Error"
    assert "invalid_grant" in record.detail
    assert "provider=govid error=unknown exception=OAuth2Error" in record.getMessage()
    everything = " ".join(str(v) for v in vars(record).values())
    assert "good-code" not in everything
    assert "at-123" not in everything
    assert "_auth_user_id" not in client.session
