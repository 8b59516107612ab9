"""Demo insight: every agency with challenges has a dashboard with history and segments."""

import pytest

from community import demo as community_demo
from community.models import Organisation
from community.participation.models import ParticipationEvent, SegmentProfile
from ideas import demo as ideas_demo
from ideas.insight import demo, selectors
from ideas.models import Challenge, Idea
from ideas.opinion.models import OpinionMap

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
    # Each agency's busiest board has a stored, real opinion map: groups and common ground.
    maps = OpinionMap.objects.filter(kind="board", status=OpinionMap.Status.READY)
    assert maps.exists()
    assert all(
        m.result["enough"] and len(m.result["groups"]) >= 2 and m.result["consensus"] for m in maps
    )
    for idea in Idea.objects.all():
        assert idea.support_count == idea.votes.count()
    votes = Idea.objects.values_list("pk", "support_count").order_by("pk")
    before = list(votes)
    demo.seed(context)
    assert ParticipationEvent.objects.count() == first
    assert list(votes) == before
