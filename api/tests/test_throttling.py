"""Rate limits: anonymous clients by address, token clients by account; 429 + Retry-After."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "token": "4/min", "write": "1/hour"},
    }


def test_anonymous_client_is_limited_with_retry_after(api, world, low_rates):
    for _ in range(3):
        assert api.get(f"{V1}/agencies/").status_code == 200
    response = api.get(f"{V1}/agencies/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["error"] == "throttled" and body["retry_after"] > 0


def test_token_client_has_its_own_allowance(api, world, low_rates, token_for):
    for _ in range(3):
        api.get(f"{V1}/agencies/")
    assert api.get(f"{V1}/agencies/").status_code == 429
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.author)}")
    assert api.get(f"{V1}/agencies/").status_code == 200


def test_writes_have_a_tighter_limit(api, world, low_rates, token_for):
    from ideas.tests.factories import IdeaFactory

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.author)}")
    first, second = (IdeaFactory(challenge=world.challenge) for _ in range(2))
    assert api.post(f"{V1}/ideas/{first.pk}/support/").status_code == 200
    response = api.post(f"{V1}/ideas/{second.pk}/support/")
    assert response.status_code == 429 and response["Retry-After"]
