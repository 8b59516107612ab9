"""Two moderators deciding the same item at the same moment (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from community.moderation import actions
from community.moderation.models import DECISIONS, CaseState, ModerationAction
from community.moderation.tests.factories import moderator
from community.tests.factories import PersonaFactory, UserFactory


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-locking concurrency needs PostgreSQL (set DATABASE_URL)")


def _run_in_threads(work_items):
    barrier = threading.Barrier(len(work_items))
    results: list = [None] * len(work_items)

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work_items[index]()
        except Exception as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work_items))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_moderators_at_once_exactly_one_decision_wins_and_the_other_is_told():
    _require_postgres()
    for _round in range(3):
        persona = PersonaFactory()
        case = actions.report_create(user=UserFactory(), obj=persona, reason="abuse").case
        first, second = moderator(), moderator()
        results = _run_in_threads(
            [
                lambda c=case, m=first: actions.case_decide(
                    moderator=m, case=c, version=1, action="hide", reason="abuse"
                ),
                lambda c=case, m=second: actions.case_decide(
                    moderator=m, case=c, version=1, action="approve"
                ),
            ]
        )
        won = [r for r in results if isinstance(r, ModerationAction)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(refused) == 1, results
        assert "already decided" in refused[0].messages[0]
        assert "Nothing was changed" in refused[0].messages[0]
        case.refresh_from_db()
        assert case.version == 2 and case.decided_by == won[0].actor
        assert case.state == (CaseState.HIDDEN if won[0].action == "hide" else CaseState.APPROVED)
        decisions = ModerationAction.objects.filter(case=case, action__in=DECISIONS)
        assert list(decisions) == won
