"""Demo research: an open survey with a few dozen answers, a panel of 30, one recruitment
of five for the scheduled co-design session with replies; idempotent."""

import pytest

from cms import demo as cms_demo
from community import demo as community_demo
from ideas import demo as ideas_demo
from ideas.backlog import demo as backlog_demo
from ideas.codesign import demo as codesign_demo
from ideas.research import demo, selectors
from ideas.research.models import Invitation, PanelMember, Recruitment, SurveyResponse

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (SurveyResponse, PanelMember, Recruitment, Invitation))


def test_the_demo_has_an_answered_survey_a_panel_and_a_recruitment_with_replies():
    context = community_demo.seed({})
    context.update(cms_demo.seed(context))
    context.update(ideas_demo.seed(context))
    context.update(backlog_demo.seed(context))
    context.update(codesign_demo.seed(context))
    survey = demo.seed(context)["survey"]
    assert survey.is_open() and survey.live and survey.url
    total, results = selectors.survey_results(survey)
    assert total == demo.RESPONSES
    assert any(row.cell.shown for r in results for row in r.rows)
    assert selectors.active_panel().count() == demo.PANEL
    recruitment = Recruitment.objects.get()
    summary = selectors.recruitment_summary(recruitment)
    assert (summary.invited, summary.accepted, summary.declined) == (5, 2, 1)
    assert recruitment.session.participants.count() >= 2
    first = _counts()
    demo.seed(context)
    assert _counts() == first
