"""Demo sessions: one finished with outcomes in the backlog, one scheduled; idempotent."""

import pytest

from community import demo as community_demo
from ideas import demo as ideas_demo
from ideas.backlog import demo as backlog_demo
from ideas.codesign import demo
from ideas.codesign.models import CodesignSession, Dot, Note, Outcome, Phase

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (CodesignSession, Note, Dot, Outcome))


def test_the_demo_has_a_finished_session_with_promoted_outcomes_and_a_scheduled_one():
    context = community_demo.seed({})
    context.update(ideas_demo.seed(context))
    context.update(backlog_demo.seed(context))
    finished, scheduled = demo.seed(context)["codesign_sessions"]
    assert finished.phase == Phase.SUMMARY and finished.ended_at is not None
    outcomes = list(finished.outcomes.select_related("backlog_item"))
    assert len(outcomes) == 2 and all(o.backlog_item_id for o in outcomes)
    assert all(o.backlog_item.agency_id == finished.agency_id for o in outcomes)
    assert finished.notes.count() == 8 and finished.dots.count() == 11
    assert scheduled.phase == Phase.LOBBY and scheduled.scheduled_at > finished.scheduled_at
    first = _counts()
    demo.seed(context)
    assert _counts() == first
