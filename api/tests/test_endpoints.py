"""Each /api/v1/ endpoint: what it lists, what it leaves out, filters, ordering, pages."""

from __future__ import annotations

import pytest

from ideas.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_root_lists_every_endpoint(api, world):
    body = api.get(f"{V1}/").json()
    for name in ("ideas", "challenges", "comments", "backlog-items", "agencies", "tags"):
        assert name in body


def test_ideas_show_counts_tags_status_responses_and_persona(api, world):
    response = api.get(f"{V1}/ideas/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == world.idea.pk
    assert row["title"] == "Benches at stops"
    assert row["tags"] == ["seating"]
    assert row["status"] == world.idea.status
    assert row["persona"] == {"name": "Amara O", "handle": "amara-o"}
    assert row["responses"][0]["response"] == "We will do this."
    assert row["responses"][0]["agency"] == "transport"
    assert row["web_url"].endswith(f"/ideas/{world.idea.pk}/")


def test_held_and_unpublished_ideas_are_not_listed_or_found(api, world):
    assert ids(api.get(f"{V1}/ideas/")) == [world.idea.pk]
    assert api.get(f"{V1}/ideas/{world.held_idea.pk}/").status_code == 404
    assert api.get(f"{V1}/ideas/{world.unpublished_idea.pk}/").status_code == 404


def test_idea_detail_by_stable_id(api, world):
    response = api.get(f"{V1}/ideas/{world.idea.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == world.idea.pk


def test_ideas_filter_by_challenge_status_tag_and_persona(api, world):
    other = IdeaFactory(title="Elsewhere")
    assert ids(api.get(f"{V1}/ideas/", {"challenge": world.challenge.pk})) == [world.idea.pk]
    assert ids(api.get(f"{V1}/ideas/", {"tag": "seating"})) == [world.idea.pk]
    assert ids(api.get(f"{V1}/ideas/", {"persona": "amara-o"})) == [world.idea.pk]
    assert ids(api.get(f"{V1}/ideas/", {"status": "submitted"})) == [other.pk]


def test_ideas_order_by_support(api, world):
    popular = IdeaFactory(challenge=world.challenge, support_count=50)
    assert ids(api.get(f"{V1}/ideas/", {"ordering": "-support_count"}))[0] == popular.pk


def test_cursor_pages_walk_every_idea_once(api, world):
    made = [IdeaFactory(challenge=world.challenge).pk for _ in range(5)]
    seen, url = [], f"{V1}/ideas/?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted([*made, world.idea.pk])


def test_challenges_count_public_ideas_only(api, world):
    (row,) = api.get(f"{V1}/challenges/").json()["results"]
    assert row["id"] == world.challenge.pk
    assert row["idea_count"] == 1
    assert row["agency"] == "transport"
    assert row["phase"] == "open"


def test_comments_leave_out_held_ones(api, world):
    assert ids(api.get(f"{V1}/comments/", {"idea": world.idea.pk})) == [world.comment.pk]


def test_responses_list_official_responses(api, world):
    (row,) = api.get(f"{V1}/responses/").json()["results"]
    assert row["idea"] == world.idea.pk and row["to_status"] == "accepted"


def test_backlog_items_are_the_public_roadmap_with_updates_and_public_ideas(api, world):
    (row,) = api.get(f"{V1}/backlog-items/").json()["results"]
    assert row["id"] == world.item.pk
    assert row["stage"] == "built"
    assert row["ideas"] == [world.idea.pk]  # the held idea's link is left out
    assert row["updates"][0]["body"] == "Building now."
    assert "internal_notes" not in row and "owner" not in row
    assert ids(api.get(f"{V1}/backlog-items/", {"stage": "done"})) == []
    assert ids(api.get(f"{V1}/backlog-updates/"))


def test_exchange_posts_are_live_ones_without_on_behalf_of(api, world):
    (row,) = api.get(f"{V1}/exchange-posts/").json()["results"]
    assert row["id"] == world.post.pk
    assert "on_behalf_of" not in row
    assert "Mrs Jones" not in str(row)


def test_agencies_and_tags(api, world):
    agencies = api.get(f"{V1}/agencies/").json()["results"]
    assert "transport" in [a["slug"] for a in agencies]
    tags = [t["name"] for t in api.get(f"{V1}/tags/").json()["results"]]
    assert tags == ["buses", "seating"]  # the held idea's tag is not used publicly


def test_transparency_figures_come_from_the_audit_log(api, world):
    from community.moderation.models import ActionKind, ModerationAction

    ModerationAction.objects.create(action=ActionKind.REPORT)
    rows = api.get(f"{V1}/moderation-transparency/").json()
    assert rows[0]["reports"] == 1


def test_list_query_count_is_constant(api, world, django_assert_max_num_queries):
    for _ in range(10):
        idea = IdeaFactory(challenge=world.challenge)
        idea.tags.set(["more"])
    with django_assert_max_num_queries(6):
        assert api.get(f"{V1}/ideas/?page_size=100").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get(f"{V1}/backlog-items/").status_code == 200
    with django_assert_max_num_queries(5):
        assert api.get(f"{V1}/challenges/").status_code == 200
