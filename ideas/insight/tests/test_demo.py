"""Demo insight: every agency with challenges has a dashboard with history and segments."""

import pytest

from community import demo as community_demo
from community.models import Organisation
from community.participation.models import ParticipationEvent, SegmentProfile
from ideas import demo as ideas_demo
from ideas.insight import demo, selectors
from ideas.insight.opinion import opinion_map
from ideas.models import Challenge, Idea

pytestmark = pytest.mark.django_db


def test_demo_dashboards_are_not_empty_and_seeding_twice_changes_nothing():
    context = community_demo.seed({})
    context.update(ideas_demo.seed(context))
    demo.seed(context)
    first = ParticipationEvent.objects.count()
    assert first > 0
    assert SegmentProfile.objects.count() == 2
    agencies = Organisation.objects.filter(challenges__in=Challenge.objects.all()).distinct()
    for agency in agencies:
        data = selectors.dashboard(agency)
        assert any(day["total"] for day in data["timeline"]), agency
        assert data["segments"]["enough"], agency
    busiest = agencies.order_by("pk").first()
    assert selectors.segments(busiest)["missing"]
    maps = [opinion_map(c)[0] for c in Challenge.objects.all()]
    assert any(m.enough and len(m.groups) >= 2 and m.consensus for m in maps)
    for idea in Idea.objects.all():
        assert idea.support_count == idea.votes.count()
    votes = Idea.objects.values_list("pk", "support_count").order_by("pk")
    before = list(votes)
    demo.seed(context)
    assert ParticipationEvent.objects.count() == first
    assert list(votes) == before
