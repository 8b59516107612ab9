"""The site search (page and /api/v1/search/) over the open-data world: every kind is found
when public and never when held, hidden, unpublished, private, expired or internal."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def found(client, query: str, **filters) -> list[tuple[str, str]]:
    response = client.get("/api/v1/search/", {"q": query, **filters})
    assert response.status_code == 200, response.content
    return [(row["kind"], row["title"]) for row in response.json()["results"]]


def test_every_public_kind_is_found(api, world, news):
    assert ("challenge", "How might we make buses better?") in found(api, "buses better")
    assert ("idea", "Benches at stops") in found(api, "benches stops")
    assert ("comment", "Comment on “Benches at stops”") in found(api, "shade")
    assert ("session", "Bus stop workshop") in found(api, "roofs first")
    assert ("backlog_item", world.item.title) in found(api, world.item.title)
    assert ("exchange_post", world.post.title) in found(api, world.post.title)
    assert ("statement", "Buses until 1 am") in found(api, "buses until")
    assert ("page", "Benches are coming") in found(api, "benches coming")
    assert ("budget_project", "Skate park") in found(api, "skate park")
    assert ("budget_project", "Not feasible") in found(api, "not feasible")  # with its reason


@pytest.mark.parametrize(
    "query",
    [
        "Held idea text",  # held idea
        "Held comment text",  # held comment
        "Unpublished idea",  # idea on an unpublished board
        "Draft challenge",  # unpublished challenge
        "Internal item",  # backlog item not on the roadmap
        "Hidden post",  # exchange post hidden by moderation
        "Expired post",  # exchange post past its date
        "Held statement text",  # hidden conversation statement
        "Invited only workshop",  # invited co-design session
        "Mrs Jones",  # on whose behalf a post was made (never indexed)
        "Held Hana",  # persona names are never indexed
        "Unreviewed project text",  # budget project waiting for review
        "Hidden project text",  # budget project hidden by moderation
    ],
)
def test_hidden_held_and_private_content_is_never_found(api, world, query):
    rows = found(api, query)
    assert all(query.lower() not in title.lower() for _kind, title in rows), rows
    page = api.get(reverse("search:results"), {"q": query})
    shown = [hit.title + str(hit.snippet) for hit in page.context["results"].hits]
    assert all(query.lower() not in text.lower() for text in shown), shown


def test_content_hidden_after_it_was_indexed_disappears_at_once(api, world):
    from api.tests.conftest import hold

    assert ("idea", "Benches at stops") in found(api, "benches stops")
    hold(world.idea)  # the index entry stays; the query-time check leaves it out
    assert ("idea", "Benches at stops") not in found(api, "benches stops")


def test_filters_by_kind_agency_and_status(api, world):
    assert {kind for kind, _ in found(api, "buses", kind="statement")} == {"statement"}
    assert found(api, "buses", agency="transport")
    assert found(api, "buses", agency="no-such-agency") == []
    assert found(api, "benches", status="accepted") == [("idea", "Benches at stops")]
    assert found(api, "benches", status="implemented") == []
    assert found(api, "benches", kind="no-such-kind") == []


def test_api_refuses_unknown_parameters_and_answers_an_empty_query_with_nothing(api, world):
    assert api.get("/api/v1/search/", {"q": "bus", "colour": "red"}).status_code == 400
    body = api.get("/api/v1/search/").json()
    assert body["count"] == 0 and body["results"] == []


def test_snippets_mark_matches_and_escape_text(api, world):
    from ideas.tests.factories import IdeaFactory

    IdeaFactory(
        challenge=world.challenge,
        title="Safer crossings",
        body="<script>alert(1)</script> zebra crossings near schools",
    )
    row = api.get("/api/v1/search/", {"q": "zebra"}).json()["results"][0]
    assert "<mark>zebra</mark>" in row["snippet"]
    assert "<script>" not in row["snippet"]
