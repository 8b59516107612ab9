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


def test_trending_pages_rank_exactly_as_scoring_the_whole_board(settings):
    """Trending scores only the ideas that can reach a page; the order must not change."""
    from datetime import timedelta

    from django.utils import timezone

    settings.IDEAS = {"BOARD_PAGE_SIZE": 4}
    challenge = ChallengeFactory()
    voters = UserFactory.create_batch(6)
    long_ago = timezone.now() - timedelta(days=30)
    for n in range(15):
        idea = IdeaFactory(challenge=challenge, support_count=0)
        old, recent = n % 5, (n * 7) % 3 if n % 2 else 0
        for i, voter in enumerate(voters[: old + recent]):
            VoteFactory(idea=idea, account=voter, **({"created_at": long_ago} if i < old else {}))
        idea.support_count = old + recent
        idea.save()
    whole_board = [i.pk for i in selectors.board_ideas(challenge=challenge, sort="trending")]
    paged = []
    for number in (1, 2, 3, 4):
        page = selectors.board_page(
            challenge=challenge, user=voters[0], sort="trending", status="", page=number
        )
        paged += [i.pk for i in page.ideas]
    assert paged == whole_board
    assert len(paged) == 15


@pytest.mark.django_db
def test_board_totals_are_counted_again_only_when_the_ideas_shown_change(
    committed, django_assert_num_queries
):
    from ideas import actions
    from ideas.models import Status
    from ideas.tests.factories import citizen

    challenge = ChallengeFactory()
    idea = IdeaFactory(challenge=challenge)
    board = [challenge.pk]
    assert selectors.visible_totals(board) == {challenge.pk: 1}
    assert selectors.visible_totals(board, status=Status.SUBMITTED) == {challenge.pk: 1}
    voter, _ = citizen()
    committed(actions.vote_cast, user=voter, idea=idea)
    committed(actions.comment_create, user=voter, idea=idea, body="Agreed")
    with django_assert_num_queries(0):  # support and comments do not change the total
        assert selectors.visible_totals(board) == {challenge.pk: 1}
        assert selectors.visible_totals(board, status=Status.SUBMITTED) == {challenge.pk: 1}
    author, _ = citizen()
    committed(actions.idea_create, user=author, challenge=challenge, title="Bins", body="More")
    assert selectors.visible_totals(board) == {challenge.pk: 2}
    designer = _designer_of(challenge)
    committed(
        actions.idea_set_status,
        user=designer,
        idea=idea,
        status=Status.UNDER_REVIEW,
        response="We are looking at it.",
    )
    assert selectors.visible_totals(board, status=Status.SUBMITTED) == {challenge.pk: 1}
    assert selectors.visible_totals(board, status=Status.UNDER_REVIEW) == {challenge.pk: 1}


def _designer_of(challenge):
    from community.models import Role
    from community.tests.factories import staff

    return staff(Role.SERVICE_DESIGNER, challenge.agency)
