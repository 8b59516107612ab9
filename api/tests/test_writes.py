"""Writes with a personal token go through the same actions as the web forms."""

from __future__ import annotations

import pytest

from api.models import ApiToken
from ideas.models import Comment, Idea, Vote
from ideas.tests.factories import IdeaFactory, close

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.fixture
def as_author(api, world, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.author)}")
    return api


def test_post_an_idea_as_the_main_persona(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "Shelter roofs", "body": "Keep us dry.",
         "tags": ["weather"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["persona"] == {"name": "Amara O", "handle": "amara-o"}
    assert body["tags"] == ["weather"]
    assert Idea.objects.get(pk=body["id"]).persona == world.author


def test_token_scheme_works_too(api, world, token_for):
    other = IdeaFactory(challenge=world.challenge)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.author)}")
    assert api.post(f"{V1}/ideas/{other.pk}/support/", {}, format="json").status_code == 200


def test_own_idea_cannot_be_supported_as_on_the_web(as_author, world):
    response = as_author.post(f"{V1}/ideas/{world.idea.pk}/support/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_post_as_another_own_persona(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "Maps", "body": "Route maps.",
         "persona": "secret-side"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["persona"]["handle"] == "secret-side"


def test_someone_elses_persona_is_refused_without_saying_whose(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "Maps", "body": "Route maps.",
         "persona": "held-hana"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "persona" in response.json()["fields"]
    assert not Idea.objects.filter(title="Maps").exists()


def test_service_validation_messages_come_back_as_400(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "<b>Bold</b>", "body": "x",
         "tags": ["a", "b", "c", "d", "e", "f"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert {"title", "tags"} <= set(response.json()["fields"])


def test_unknown_fields_are_refused(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "T", "body": "B", "status": "accepted"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_closed_challenge_refuses_ideas_with_the_web_message(as_author, world):
    close(world.challenge)
    response = as_author.post(
        f"{V1}/ideas/", {"challenge": world.challenge.pk, "title": "T", "body": "B"}, format="json"
    )
    assert response.status_code == 403
    assert "no longer taking new ideas" in response.json()["detail"]


def test_screening_holds_apply_and_held_idea_stays_out_of_lists(as_author, world):
    response = as_author.post(
        f"{V1}/ideas/",
        {"challenge": world.challenge.pk, "title": "Write to me",
         "body": "My address is amara.real@example.org"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 202, response.content
    assert response.json()["held_for_review"] is True
    held_id = response.json()["id"]
    assert held_id not in [i["id"] for i in as_author.get(f"{V1}/ideas/").json()["results"]]


def test_support_and_withdraw(as_author, world):
    other = IdeaFactory(challenge=world.challenge)
    url = f"{V1}/ideas/{other.pk}/support/"
    assert as_author.post(url, {}, format="json").json() == {"support_count": 1}
    second = as_author.post(url, {}, format="json")
    assert second.status_code == 400
    assert "already support" in str(second.json())
    assert as_author.delete(url).json() == {"support_count": 0}
    assert not Vote.objects.filter(idea=other).exists()


def test_support_on_held_idea_is_404(as_author, world):
    assert as_author.post(f"{V1}/ideas/{world.held_idea.pk}/support/", {}).status_code == 404


def test_comment_and_reply(as_author, world):
    response = as_author.post(
        f"{V1}/comments/", {"idea": world.idea.pk, "body": "Yes please."}, format="json"
    )
    assert response.status_code == 201
    reply = as_author.post(
        f"{V1}/comments/",
        {"idea": world.idea.pk, "body": "Agreed.", "parent": response.json()["id"]},
        format="json",
    )
    assert reply.status_code == 201
    assert reply.json()["parent"] == response.json()["id"]
    assert Comment.objects.filter(idea=world.idea).count() == 4


def test_reply_to_held_comment_is_400(as_author, world):
    response = as_author.post(
        f"{V1}/comments/",
        {"idea": world.idea.pk, "body": "Hm.", "parent": world.held_comment.pk},
        format="json",
    )
    assert response.status_code == 400


def test_token_use_is_recorded(as_author, world):
    as_author.get(f"{V1}/ideas/")
    assert ApiToken.objects.get().last_used_at is not None


def test_writes_through_the_api_are_recorded_as_api_participation(
    as_author, world, django_capture_on_commit_callbacks
):
    from community.participation.models import ParticipationEvent

    other = IdeaFactory(challenge=world.challenge)
    with django_capture_on_commit_callbacks(execute=True):
        posted = as_author.post(
            f"{V1}/ideas/",
            {"challenge": world.challenge.pk, "title": "Bike racks", "body": "At stations."},
            format="json",
        )
        supported = as_author.post(f"{V1}/ideas/{other.pk}/support/", {}, format="json")
    assert (posted.status_code, supported.status_code) == (201, 200)
    events = ParticipationEvent.objects.filter(object_id__in=[posted.json()["id"], other.pk])
    assert sorted(events.values_list("kind", "channel")) == [
        ("idea.posted", "api"),
        ("idea.supported", "api"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"idea": IDEA, "body": "a\\u0000b"}', "body"),
        ('{"idea": IDEA, "body": "a\\ud800b"}', "body"),
        ('{"idea": IDEA, "body": "tab\\tnewline\\n ok", "extra\\u0001": 1}', "extra\x01"),
        ('{"idea": IDEA, "body": "deep", "parent": ' + "[" * 5000 + "]" * 5000 + "}", None),
        ('{"idea": IDEA, "body": "deep", "parent": ' + "[" * 40 + "]" * 40 + "}", "parent"),
    ],
)
def test_comment_with_unstorable_characters_or_deep_nesting_is_400_naming_the_field(
    as_author, world, body, field
):
    before = Comment.objects.count()
    response = as_author.post(
        f"{V1}/comments/",
        body.replace("IDEA", str(world.idea.pk)),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["error"] == "invalid"
    problem = data["fields"][field or "non_field_errors"][0]
    assert "cannot be saved" in problem or "nested" in problem
    assert Comment.objects.count() == before
