"""One vote per person per statement under real concurrency (PostgreSQL; skipped on SQLite).

Each thread has its own connection and starts at the same barrier, so the votes race."""

import pytest

from community.tests.concurrency import race, require_postgres
from community.tests.factories import PersonaFactory
from ideas.conversations import actions
from ideas.conversations.models import Statement, StatementVote
from ideas.conversations.tests.factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_votes_at_once_by_one_person_leave_one_row_holding_one_of_them():
    require_postgres()
    statement = StatementFactory()
    user = PersonaFactory().account
    choices = ["agree", "disagree"] * 3
    results = race(
        [lambda c=c: actions.vote_cast(user=user, statement=statement, choice=c) for c in choices]
    )
    assert [kind for kind, _ in results] == ["ok"] * len(choices)
    rows = list(StatementVote.objects.filter(statement=statement, account=user))
    assert len(rows) == 1
    assert rows[0].value in (1, -1)


def test_statements_added_at_once_get_distinct_numbers():
    require_postgres()
    conversation = ConversationFactory()
    people = [PersonaFactory().account for _ in range(6)]
    results = race(
        [
            lambda u=u, n=n: actions.statement_add(
                user=u, conversation=conversation, text=f"Statement from person {n}"
            )
            for n, u in enumerate(people)
        ]
    )
    assert [kind for kind, _ in results] == ["ok"] * 6
    numbers = sorted(
        Statement.objects.filter(conversation=conversation).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]
