"""Journey (k): signing up and in through a real, certified OpenID provider on loopback.

panva's ``oidc-provider`` (tests/e2e/oidc, installed by ``make browser-deps``) runs as a
separate process on a free loopback port; the served site is started with ``OIDC_PROVIDERS``
naming it, and its production Content-Security-Policy stays in force. Chromium enforces
``form-action`` on the redirect after the "Continue" form posts to this site, so a policy
without the provider's origin stops the journey at the first step (a console error, which
``Watch`` turns into a failure). The journey: a new person signs up through the provider
(verified email, public name asked), signs out (the provider session ends too: RP-initiated
logout), signs in again through the provider, turns on two-factor authentication, and the
next provider sign-in asks for the code. An address that already has an account here, claimed
by the provider, neither signs anybody in nor creates an account; its owner signs in and links
the provider instead (``process=connect``, the same redirect under the same policy).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ROOT,
    _free_port,
    _require_chromium,
    served_site,
    sign_in,
)
from tests.e2e.guards import Watch

pytestmark = pytest.mark.browser

PROVIDER_DIR = ROOT / "tests" / "e2e" / "oidc"
PROVIDER_ID = "loopback"
PROVIDER_NAME = "Loopback ID"
CLIENT_ID = "civic-commons-journeys"
CLIENT_SECRET = "journeys-only-secret"
PROVIDER_PASSWORD = "provider-pass"


def _require_provider() -> str:
    node = shutil.which("node")
    installed = (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir()
    if node and installed:
        return node
    reason = (
        "node is not installed"
        if not node
        else f"the OpenID provider is not installed: run make browser-deps (npm ci in {PROVIDER_DIR})"
    )
    if os.environ.get("CI") and node:
        pytest.fail(reason)
    pytest.skip(reason)


def _wait_for_discovery(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oidc-provider exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("oidc-provider did not start in time")


@pytest.fixture(scope="module")
def federation(tmp_path_factory):
    """(site base URL, provider issuer): both started on free loopback ports, both stopped."""
    _require_chromium()
    node = _require_provider()
    site_port, provider_port = _free_port(), _free_port()
    while provider_port == site_port:
        provider_port = _free_port()
    site = f"http://127.0.0.1:{site_port}"
    issuer = f"http://127.0.0.1:{provider_port}"
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    log = log_path.open("w")
    provider = subprocess.Popen(
        [node, "provider.js"],
        cwd=PROVIDER_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PORT": str(provider_port),
            "SITE_URL": site,
            "PROVIDER_ID": PROVIDER_ID,
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "TEST_PASSWORD": PROVIDER_PASSWORD,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_discovery(f"{issuer}/.well-known/openid-configuration", provider)
        providers = [
            {
                "id": PROVIDER_ID,
                "name": PROVIDER_NAME,
                "server_url": issuer,
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                "scope": "openid email profile",
                "pkce": "true",
            }
        ]
        with served_site({"OIDC_PROVIDERS": json.dumps(providers)}, port=site_port) as base:
            yield base, issuer
    finally:
        provider.terminate()
        try:
            provider.wait(timeout=10)
        except subprocess.TimeoutExpired:
            provider.kill()
            provider.wait(timeout=10)
        log.close()
        if provider.returncode not in (0, -15, None):
            print(Path(log_path).read_text())


def _guarded_page(watch: Watch, browser, base: str):
    """A guarded page (console errors include any CSP violation on the way to the provider)."""
    page = watch.page(browser)
    return page


def _start_provider_sign_in(page, base: str) -> None:
    """From the sign-in page: the provider's button, then allauth's Continue (a POST here)."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.get_by_role("button", name="Continue").click()


def _provider_login(page, issuer: str, email: str) -> None:
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(re.escape(issuer) + r"/interaction/"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out_everywhere(page, base: str, issuer: str) -> None:
    """The header's Sign out, then the provider's own confirmation, back to the home page."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(issuer) + r"/session/end"))
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def _totp(secret: str, at: float) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(at // 30)))


def test_a_new_person_signs_up_signs_out_and_back_in_through_the_provider_then_adds_mfa(
    federation, browser
):
    from playwright.sync_api import expect

    base, issuer = federation
    watch = Watch()
    page = _guarded_page(watch, browser, base)
    email = "newcomer@loopback.example"

    # The site's policy lets forms lead to this provider, and to no other site.
    response = page.goto(f"{base}/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert re.search(r"form-action 'self' " + re.escape(issuer) + r"(;|$)", policy), policy

    # Sign up: the provider vouches for the address; the site asks only for a public name.
    _start_provider_sign_in(page, base)
    _provider_login(page, issuer, email)
    expect(page).to_have_url(f"{base}/accounts/3rdparty/signup/")
    page.get_by_label("Public name").fill("Loopback Newcomer")
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{base}/accounts/email/")
    expect(page.locator("main")).to_contain_text(email)
    expect(page.locator("main")).to_contain_text(re.compile("Verified", re.I))

    # Sign out ends the provider's session too: signing in again asks for the password.
    _sign_out_everywhere(page, base, issuer)
    _start_provider_sign_in(page, base)
    _provider_login(page, issuer, email)
    expect(page).to_have_url(re.compile(re.escape(base) + r"/(\?.*)?$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # Two-factor authentication: the code comes from the secret the page shows.
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret, input[name=secret], [data-totp-secret]")
    secret_text = (
        secret.first.input_value()
        if secret.count()
        else re.search(r"\b[A-Z2-7]{16,}\b", page.locator("main").inner_text()).group(0)
    )
    activated_at = time.time()
    page.get_by_label(re.compile("Authenticator code", re.I)).fill(_totp(secret_text, activated_at))
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    expect(page.locator("main")).not_to_contain_text(re.compile("Incorrect code", re.I))

    _sign_out_everywhere(page, base, issuer)
    _start_provider_sign_in(page, base)
    _provider_login(page, issuer, email)
    expect(page).to_have_url(re.compile(re.escape(base) + r"/accounts/2fa/authenticate/"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # allauth refuses a code twice: wait, if need be, for the next 30-second step.
    while int(time.time() // 30) == int(activated_at // 30):
        page.wait_for_timeout(500)
    page.get_by_label(re.compile("Code", re.I)).first.fill(_totp(secret_text, time.time()))
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    watch.settle(page)
    watch.assert_clean()


def test_an_address_that_already_has_an_account_is_refused_when_a_provider_claims_it(
    federation, browser
):
    from playwright.sync_api import expect

    base, issuer = federation
    watch = Watch()
    page = _guarded_page(watch, browser, base)
    _start_provider_sign_in(page, base)
    _provider_login(page, issuer, "sam@northvale.example")
    expect(page).to_have_url(f"{base}/accounts/3rdparty/signup/")
    page.get_by_label("Public name").fill("Not Sam")
    page.get_by_role("button", name=re.compile("Sign up", re.I)).click()
    expect(page.locator("main")).to_contain_text(re.compile("already", re.I))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    # The safe way: sign in to that account, then link the provider to it (a POST here that
    # redirects to the provider, as at sign-in), and signing out ends both sessions.
    sign_in(page, base, "sam@northvale.example")
    page.goto(f"{base}/accounts/3rdparty/")
    page.get_by_role("link", name=f"Link your {PROVIDER_NAME} account").click()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/accounts/3rdparty/")
    expect(page.get_by_role("button", name="Remove")).to_be_visible()
    _sign_out_everywhere(page, base, issuer)
    watch.settle(page)
    watch.assert_clean()
