"""Demo backlogs: every agency, every status, traced to demo ideas, idempotent."""

import pytest

from community import demo as community_demo
from ideas import demo as ideas_demo
from ideas.backlog import demo
from ideas.backlog.models import BacklogHistory, BacklogItem, ItemStatus, PublicUpdate
from ideas.models import Idea, Status

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (BacklogItem, BacklogHistory, PublicUpdate))


def test_every_agency_has_items_in_every_status_traced_to_ideas_and_twice_changes_nothing():
    context = community_demo.seed({})
    context.update(ideas_demo.seed(context))
    demo.seed(context)
    first = _counts()
    for agency in context["agencies"].values():
        statuses = set(BacklogItem.objects.filter(agency=agency).values_list("status", flat=True))
        assert statuses == set(ItemStatus.values), agency
    linked = Idea.objects.filter(backlog_links__isnull=False)
    assert linked.count() >= 3
    assert not linked.filter(status__in=[Status.ACCEPTED, Status.SUBMITTED]).exists()
    assert linked.filter(status=Status.IMPLEMENTED).exists()
    demo.seed(context)
    assert _counts() == first
