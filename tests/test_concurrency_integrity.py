"""Parallel moderation, reports and mixed board activity on PostgreSQL: exact results, and
``verify_integrity`` passes afterwards. (Parallel votes alone: ideas/tests/test_concurrency.py;
parallel credit transfers: community/exchange/tests/test_ledger.py.) Skipped on SQLite, which
serialises every write anyway."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from community.models import Role
from community.moderation import actions as moderation
from community.moderation.models import ModerationAction, ModerationCase, Report
from community.tests.concurrency import race as _race
from community.tests.factories import UserFactory, staff
from ideas import actions as idea_actions
from ideas.models import Comment, Idea, Vote
from ideas.tests.factories import IdeaFactory, citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write anyway")


def test_moderators_deciding_one_case_at_once_make_exactly_one_decision():
    idea = IdeaFactory()
    moderation.report_create(user=UserFactory(), obj=idea, reason="spam")
    case = ModerationCase.objects.get()
    moderators = [staff(Role.MODERATOR, idea.challenge.agency) for _ in range(6)]
    results = _race(
        [
            lambda m=m: moderation.case_decide(
                moderator=m, case=case, version=case.version, action="hide", reason="spam"
            )
            for m in moderators
        ]
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error"] * 5 + ["ok"]
    assert all(isinstance(v, ValidationError) for kind, v in results if kind == "error")
    decisions = ModerationAction.objects.filter(case=case, action="hide")
    assert decisions.count() == 1
    case.refresh_from_db()
    assert case.state != "pending"
    assert case.decided_by_id == decisions.get().actor_id


def test_many_people_reporting_at_once_open_one_case_with_an_exact_count():
    idea = IdeaFactory()
    reporters = [UserFactory() for _ in range(10)]
    results = _race(
        [lambda u=u: moderation.report_create(user=u, obj=idea, reason="spam") for u in reporters]
    )
    assert [kind for kind, _ in results] == ["ok"] * 10
    case = ModerationCase.objects.get()
    assert case.report_count == 10 == Report.objects.filter(case=case).count()


def test_mixed_support_withdrawals_and_comments_keep_every_counter_exact():
    idea = IdeaFactory()
    supporters = [UserFactory() for _ in range(8)]
    for user in supporters[:4]:
        idea_actions.vote_cast(user=user, idea=idea.pk)
    commenters = [citizen() for _ in range(6)]
    calls = [lambda u=u: idea_actions.vote_cast(user=u, idea=idea.pk) for u in supporters[4:]]
    calls += [lambda u=u: idea_actions.vote_withdraw(user=u, idea=idea.pk) for u in supporters[:3]]
    calls += [
        lambda u=u, p=p: idea_actions.comment_create(user=u, idea=idea, persona=p, body="Yes")
        for u, p in commenters
    ]
    results = _race(calls)
    assert [kind for kind, _ in results] == ["ok"] * len(calls)
    idea = Idea.objects.get(pk=idea.pk)
    assert idea.support_count == 5 == Vote.objects.filter(idea=idea).count()
    assert idea.comment_count == 6 == Comment.objects.filter(idea=idea).count()
    out = StringIO()
    call_command("verify_integrity", stdout=out, stderr=StringIO())
    assert "All integrity checks passed." in out.getvalue()
