"""Bad input gets a JSON 400/401/404 that says what to do, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"challenge": "abc"}, "challenge"),
        ({"challenge": "99999999999999999999999"}, "challenge"),
        ({"status": "nonsense"}, "status"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_after": "0827-06-09T19:47:43+16:28"}, "created_after"),
        ({"created_before": "0001-01-01T00:00:00+14:00"}, "created_before"),
        ({"colour": "red"}, "colour"),
        ({"ordering": "persona__account__email"}, "ordering"),
        ({"ordering": "title,-id"}, "ordering"),
        ({"page_size": "1000"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_malformed_list_queries_are_400_naming_the_parameter(api, world, query, field):
    body = error(api.get(f"{V1}/ideas/", query), 400)
    assert field in body["fields"]


def test_detail_takes_no_query_parameters(api, world):
    body = error(api.get(f"{V1}/ideas/{world.idea.pk}/", {"expand": "all"}), 400)
    assert "expand" in body["fields"]


def test_unknown_object_is_json_404(api, world):
    error(api.get(f"{V1}/ideas/999999/"), 404)
    error(api.get(f"{V1}/challenges/not-a-number/"), 404)


def test_unknown_api_address_is_json_404(api):
    error(api.get(f"{V1}/nothing-here/"), 404)


def test_invalid_token_is_json_401_with_challenge_header(api, world):
    api.credentials(HTTP_AUTHORIZATION="Bearer cc_nope_nope")
    body = error(api.get(f"{V1}/ideas/"), 401)
    assert "token" in body["detail"].lower()
    assert api.get(f"{V1}/ideas/")["WWW-Authenticate"].startswith("Bearer")


def test_malformed_authorization_header_is_401(api, world):
    api.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    error(api.get(f"{V1}/ideas/"), 401)


def test_revoked_token_is_401(api, world, token_for):
    from api.models import ApiToken
    from api.services import token_revoke

    raw = token_for(world.author)
    token_revoke(user=world.author.account, token=ApiToken.objects.get())
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    error(api.get(f"{V1}/ideas/"), 401)


def test_writing_without_a_token_is_refused(api, world):
    response = api.post(f"{V1}/ideas/", {"challenge": world.challenge.pk}, format="json")
    assert response.status_code in (401, 403)
    assert "token" in response.json()["detail"].lower()


def test_reads_cannot_be_written(api, world, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.author)}")
    error(api.post(f"{V1}/challenges/", {}, format="json"), 405)
    error(api.delete(f"{V1}/ideas/{world.idea.pk}/"), 405)


def test_body_that_is_not_json_is_400(api, world, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.author)}")
    response = api.post(f"{V1}/ideas/", "{not json", content_type="application/json")
    error(response, 400)


@pytest.mark.parametrize(
    "cursor",
    [
        "Zm9v",  # base64 of "foo": DRF read no offset, no position and served page one
        "bz0xJm89Mg==",  # "o=1&o=2": a key twice, never written by the API
        "cD1ub3QtYS1kYXRl",  # "p=not-a-date": a position the ordering field cannot hold
        "cD0yMDI2LTAxLTAxKzAwJTNBMDAmeD0x",  # a real-looking position plus an unknown key
        "not-a-cursor",
    ],
)
def test_a_cursor_the_api_did_not_write_is_400(api, world, cursor):
    body = error(api.get(f"{V1}/ideas/", {"cursor": cursor}), 400)
    assert "cursor" in body["fields"]


def test_the_cursors_the_api_writes_are_accepted(api, world):
    from ideas.tests.factories import IdeaFactory

    for _ in range(3):
        IdeaFactory(challenge=world.challenge)
    first = api.get(f"{V1}/ideas/", {"page_size": 1}).json()
    following = api.get(first["next"])
    assert following.status_code == 200, following.content
    back = api.get(following.json()["previous"])
    assert back.status_code == 200, back.content
