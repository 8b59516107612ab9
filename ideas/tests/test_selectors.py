"""Shared reads: query counts stay flat as boards grow (the snapshot and list pages)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.tests.factories import UserFactory
from ideas import selectors
from ideas.consumers import BoardConsumer
from ideas.events import idea_card
from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory, VoteFactory

pytestmark = pytest.mark.django_db


def _snapshot_queries(ideas: int) -> tuple[int, dict]:
    challenge = ChallengeFactory()
    viewer = UserFactory()
    for n in range(ideas):
        idea = IdeaFactory(challenge=challenge)
        idea.tags.set([f"tag{n % 4}"])
        VoteFactory(idea=idea, account=viewer)
        CommentFactory(idea=idea)
    consumer = BoardConsumer()
    consumer.scope = {"user": viewer}
    consumer.challenge, consumer.sort, consumer.status = challenge, "trending", ""
    with CaptureQueriesContext(connection) as queries:
        data = consumer.build_snapshot()
    return len(queries), data


def test_snapshot_query_count_is_constant_in_the_number_of_ideas():
    few, small = _snapshot_queries(3)
    many, large = _snapshot_queries(30)
    assert few == many <= 5
    assert len(small["ideas"]) == 3 and len(large["ideas"]) == 20
    assert len(large["viewer"]["supported"]) == 20


def test_board_page_cards_need_no_extra_queries():
    challenge = ChallengeFactory()
    for _ in range(5):
        IdeaFactory(challenge=challenge).tags.set(["x"])
    page = selectors.board_page(
        challenge=challenge, user=UserFactory(), sort="top", status="", page=1
    )
    with CaptureQueriesContext(connection) as queries:
        [idea_card(idea) for idea in page.ideas]
    assert len(queries) == 0


def test_challenge_list_page_queries_do_not_grow(client):
    def count(n):
        for _ in range(n):
            ChallengeFactory().tags.set(["roads", "parks"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("ideas:challenge_list")).status_code == 200
        return len(queries)

    assert count(2) == count(10)


def test_idea_page_queries_do_not_grow_with_comments(client):
    def count(comments):
        idea = IdeaFactory()
        for _ in range(comments):
            top = CommentFactory(idea=idea)
            CommentFactory(idea=idea, parent=top)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(idea.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(UserFactory())
    assert count(2) == count(12)
