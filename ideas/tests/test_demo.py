"""The demo boards: realistic, across agencies, and idempotent."""

import pytest

from community import demo as community_demo
from ideas import demo
from ideas.models import Challenge, Comment, Idea, Phase, StatusChange, Vote

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Challenge, Idea, Vote, Comment, StatusChange))


def test_demo_seeds_open_challenges_across_agencies_and_twice_changes_nothing():
    context = community_demo.seed({})
    demo.seed(context)
    first = _counts()
    open_challenges = Challenge.objects.in_phase(Phase.OPEN)
    assert open_challenges.count() >= 3
    assert open_challenges.values("agency").distinct().count() >= 3
    assert Idea.objects.count() >= 24 and Vote.objects.count() >= 24
    assert Comment.objects.count() >= 24
    for idea in Idea.objects.all():
        assert idea.support_count == Vote.objects.filter(idea=idea).count()
        assert not Vote.objects.filter(idea=idea, account=idea.persona.account).exists()
    demo.seed(context)
    assert _counts() == first


def test_demo_links_service_pages_when_the_cms_provides_them():
    from wagtail.models import Page

    page = Page.objects.get(depth=2)
    page.slug, page.title = "bus-travel", "Bus travel"
    page.save()
    context = community_demo.seed({})
    demo.seed({**context, "service_pages": {"bus-travel": page}})
    assert Challenge.objects.filter(service_pages=page).exists()
