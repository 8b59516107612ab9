"""Support counts stay exact under real concurrency (PostgreSQL row locks; skipped on SQLite).

Each thread uses its own database connection and starts at the same barrier, so the votes
really race; connections are closed at the end of every thread.
"""

import pytest
from django.core.exceptions import ValidationError

from community.tests.concurrency import race, require_postgres
from community.tests.factories import UserFactory
from ideas import actions
from ideas.models import Idea, Vote
from ideas.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_people_supporting_at_once_give_an_exact_count():
    require_postgres()
    idea = IdeaFactory()
    users = [UserFactory() for _ in range(12)]
    results = race([lambda u=u: actions.vote_cast(user=u, idea=idea.pk) for u in users])
    assert [kind for kind, _ in results] == ["ok"] * 12
    # Every voter was told a distinct, exact count: the increments never overlapped.
    assert sorted(count for _, count in results) == list(range(1, 13))
    assert Idea.objects.get(pk=idea.pk).support_count == 12
    assert Vote.objects.filter(idea=idea).count() == 12


def test_one_account_supporting_from_several_tabs_at_once_counts_once():
    require_postgres()
    idea = IdeaFactory()
    user = UserFactory()
    results = race([lambda: actions.vote_cast(user=user, idea=idea.pk) for _ in range(6)])
    successes = [value for kind, value in results if kind == "ok"]
    failures = [value for kind, value in results if kind == "error"]
    assert successes == [1]
    assert len(failures) == 5
    assert all(isinstance(exc, ValidationError) for exc in failures)
    assert all(exc.messages == ["You already support this idea."] for exc in failures)
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    assert Vote.objects.filter(idea=idea, account=user).count() == 1


def test_supports_and_withdrawals_racing_keep_the_count_equal_to_the_rows():
    require_postgres()
    idea = IdeaFactory()
    leaving = [UserFactory() for _ in range(6)]
    for user in leaving:
        actions.vote_cast(user=user, idea=idea.pk)
    joining = [UserFactory() for _ in range(6)]
    calls = [lambda u=u: actions.vote_withdraw(user=u, idea=idea.pk) for u in leaving] + [
        lambda u=u: actions.vote_cast(user=u, idea=idea.pk) for u in joining
    ]
    results = race(calls)
    assert [kind for kind, _ in results] == ["ok"] * 12
    assert Idea.objects.get(pk=idea.pk).support_count == 6
    assert set(Vote.objects.filter(idea=idea).values_list("account", flat=True)) == {
        u.pk for u in joining
    }
