"""Every state-changing request without a CSRF token fails, on every route of the site.

The test walks the URL resolver (tests/routes.py), so a new route is covered the moment it is
added. A route may skip Django's CSRF check only if it is listed in ``CSRF_EXEMPT`` below with
the reason it is safe — and even then a tokenless write from a signed-in browser must still be
refused (4xx), because such routes authenticate by something other than the cookie.
"""

import pytest
from django.test import Client

from community.tests.factories import UserFactory
from tests.routes import all_routes

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")

# route key → why it may skip the cookie-based CSRF check.
API_REASON = "open-data API (DRF): personal-token header only, the cookie is never accepted"
CSRF_EXEMPT = {
    "sms:inbound": "the SMS provider's callback: signed by the provider (HMAC), not a cookie",
    # The open-data API (/api/v1/) authenticates only by a personal token in the
    # Authorization header (api.authentication), never by the session cookie, so a forged
    # cross-site request carries no identity: writes without a token get 401. Proven below.
    "api:api-root": API_REASON,
    "api:schema": API_REASON,
    "api:docs": API_REASON,
    "api:agency-list": API_REASON,
    "api:agency-detail": API_REASON,
    "api:challenge-list": API_REASON,
    "api:challenge-detail": API_REASON,
    "api:idea-list": API_REASON,
    "api:idea-detail": API_REASON,
    "api:idea-support": API_REASON,
    "api:comment-list": API_REASON,
    "api:comment-detail": API_REASON,
    "api:response-list": API_REASON,
    "api:response-detail": API_REASON,
    "api:backlog-item-list": API_REASON,
    "api:backlog-item-detail": API_REASON,
    "api:backlog-update-list": API_REASON,
    "api:backlog-update-detail": API_REASON,
    "api:exchange-post-list": API_REASON,
    "api:exchange-post-detail": API_REASON,
    "api:conversation-list": API_REASON,
    "api:conversation-detail": API_REASON,
    "api:conversation-polis": API_REASON,
    "api:tag-list": API_REASON,
    "api:tag-detail": API_REASON,
    "api:transparency-list": API_REASON,
    "api:service-feedback-month-list": API_REASON,
    "api:budget-process-list": API_REASON,
    "api:budget-process-detail": API_REASON,
    "api:budget-list": API_REASON,
    "api:budget-detail": API_REASON,
    "api:budget-pabulib": API_REASON,
    "api:budget-project-list": API_REASON,
    "api:budget-project-detail": API_REASON,
    "api:budget-result-list": API_REASON,
    "api:budget-result-detail": API_REASON,
    "api:budget-ballot-list": API_REASON,
    "api:budget-ballot-detail": API_REASON,
    "api:place-list": API_REASON,
    "api:district-list": API_REASON,
    "api:search-list": API_REASON,
    "api:session-summary-list": API_REASON,
    "api:session-summary-detail": API_REASON,
    # RFC 8058 one-click unsubscribe: mail clients POST without a session. The signed token
    # names one account and one kind of email, and a POST can only turn that email off.
    "outreach:unsubscribe": "signed one-click unsubscribe link (RFC 8058), not a cookie",
    "backlog:inbound": "signed webhook from an agency's tracker: HMAC signature, not a cookie",
    # Django REST framework views skip Django's CSRF middleware; DRF's SessionAuthentication
    # enforces CSRF itself for signed-in browsers and the public API is read-only.
    "wagtailapi:pages:listing": "read-only public page API (DRF)",
    "wagtailapi:pages:detail": "read-only public page API (DRF)",
    "wagtailapi:pages:find": "read-only public page API (DRF)",
    "wagtailadmin_api:pages:listing": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:pages:detail": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:pages:find": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:pages:action": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:documents:listing": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:documents:detail": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:documents:find": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:images:listing": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:images:detail": "Wagtail admin API (DRF session auth enforces CSRF)",
    "wagtailadmin_api:images:find": "Wagtail admin API (DRF session auth enforces CSRF)",
}


@pytest.fixture
def browser():
    """A signed-in superuser's browser that never sends a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_every_csrf_exempt_route_is_listed_with_a_reason():
    exempt = {route.key for route in all_routes() if route.csrf_exempt}
    unlisted = exempt - set(CSRF_EXEMPT)
    assert not unlisted, (
        f"{sorted(unlisted)} skip CSRF checks. If that is intended, add each to CSRF_EXEMPT in "
        "tests/test_csrf.py with the reason it is safe (e.g. a signed webhook)."
    )
    stale = set(CSRF_EXEMPT) - exempt
    assert not stale, f"CSRF_EXEMPT lists routes that no longer exist or are not exempt: {stale}"


def test_state_changing_requests_without_a_token_fail_on_every_route(browser):
    failures = []
    for route in all_routes():
        url = route.sample_url()
        for method in WRITE_METHODS:
            response = getattr(browser, method)(url)
            allowed = (400, 401, 403, 404, 405) if route.key in CSRF_EXEMPT else (403,)
            if response.status_code not in allowed:
                failures.append(f"{method.upper()} {url} ({route.key}) → {response.status_code}")
    assert not failures, "Tokenless writes were not refused:\n" + "\n".join(failures)


def test_the_open_data_api_never_signs_anyone_in_by_their_cookie(browser):
    """Why the API may skip the CSRF check: no authentication class reads the session, so a
    signed-in browser's cookie is worth nothing there."""
    from django.conf import settings
    from rest_framework.authentication import SessionAuthentication

    from api.urls import router

    classes = list(settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"])
    for _prefix, viewset, _basename in router.registry:
        classes += [f"{c.__module__}.{c.__name__}" for c in viewset.authentication_classes]
    assert not [c for c in classes if "SessionAuthentication" in c]
    assert not any(
        issubclass(c, SessionAuthentication)
        for _p, viewset, _b in router.registry
        for c in viewset.authentication_classes
    )
    response = browser.post("/api/v1/ideas/", {"title": "Forged"})
    assert response.status_code == 401


def test_the_same_write_with_a_token_gets_past_the_check(browser):
    """Proves the 403s above come from the missing token, not from the route."""
    from django.urls import reverse

    browser.get(reverse("community:notifications"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(reverse("community:notifications_read_all"), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
