"""Aggregates on fixed data equal the figures worked out by hand (in each test's docstring)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from community.participation.tests.factories import ParticipationEventFactory, person
from community.tests.factories import OrganisationFactory
from ideas.backlog.models import BacklogIdeaLink
from ideas.backlog.tests.factories import BacklogItemFactory
from ideas.insight import kinds, selectors
from ideas.models import Status, StatusChange
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db

# Wednesday 18 November 2026, 15:00 in Europe/London: the week started on Monday the 16th.
NOW = timezone.make_aware(datetime(2026, 11, 18, 15, 0))


def at(day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour, 0))


def event(agency, kind, when, who, **kwargs):
    return ParticipationEventFactory(
        agency=agency, kind=kind, occurred_at=when, participant=person(who), **kwargs
    )


def test_counters_and_timeline_count_today_and_this_week():
    """Today: 3 actions (1 idea, 2 supports) by people 1 and 2. This week (since Monday): those,
    a comment on Tuesday and an idea on Monday: 5 actions by 4 people. Sunday's idea, a backlog
    move (staff work, not participation) and another agency's idea do not count."""
    agency, other = OrganisationFactory(), OrganisationFactory()
    event(agency, kinds.IDEA_POSTED, at(18, 9), 1)
    event(agency, kinds.IDEA_SUPPORTED, at(18, 10), 2)
    event(agency, kinds.IDEA_SUPPORTED, at(18, 11), 1)
    event(agency, kinds.COMMENT_POSTED, at(17, 12), 3)
    event(agency, kinds.IDEA_POSTED, at(16, 8), 4)
    event(agency, kinds.IDEA_POSTED, at(15, 23), 5)
    event(agency, kinds.BACKLOG_STATUS_CHANGED, at(18, 12), 6)
    event(other, kinds.IDEA_POSTED, at(18, 12), 7)

    assert selectors.counters(agency, NOW) == {
        "today": {"actions": 3, "ideas": 1, "supports": 2, "comments": 0, "people": 2},
        "week": {"actions": 5, "ideas": 2, "supports": 2, "comments": 1, "people": 4},
    }
    days = selectors.timeline(agency, NOW)
    assert len(days) == 30 and days[-1]["day"].isoformat() == "2026-11-18"
    assert {
        d["day"].day: (d["ideas"], d["supports"], d["comments"], d["total"]) for d in days[-4:]
    } == {
        15: (1, 0, 0, 1),
        16: (1, 0, 0, 1),
        17: (0, 0, 1, 1),
        18: (1, 2, 0, 3),
    }
    assert sum(d["total"] for d in days) == 6


def test_ideas_and_supports_per_challenge_and_per_service():
    """Challenge 1: two ideas with 3 and 2 supports, plus a duplicate merged away and an idea a
    moderator hid (neither counted, as the board counts): 2 ideas, 5 supports. Challenge 2:
    none. Both are about one service, opened twice from them."""
    from django.contrib.contenttypes.models import ContentType

    from cms.tests.factories import make_home, make_index, make_service
    from community.moderation.models import ModerationCase

    agency = OrganisationFactory()
    page = make_service(make_index(make_home()), title="Bus passes")
    first = ChallengeFactory(agency=agency, question="Buses?", opens_at=NOW - timedelta(days=5))
    second = ChallengeFactory(agency=agency, question="Stops?", opens_at=NOW - timedelta(days=1))
    first.service_pages.set([page])
    second.service_pages.set([page])
    keep = IdeaFactory(challenge=first, support_count=3)
    IdeaFactory(challenge=first, support_count=2)
    IdeaFactory(challenge=first, merged_into=keep)
    hidden = IdeaFactory(challenge=first, support_count=4)
    ModerationCase.objects.create(
        content_type=ContentType.objects.get_for_model(hidden), object_id=hidden.pk, is_hidden=True
    )
    for _ in range(2):
        ParticipationEventFactory(
            agency=agency, kind=kinds.SERVICE_PAGE_VIEWED, service_page_id=page.pk
        )
    challenges = selectors.per_challenge(agency)
    assert [(c["challenge"], c["ideas"], c["supports"]) for c in challenges] == [
        ("Stops?", 0, 0),
        ("Buses?", 2, 5),
    ]
    assert selectors.per_service(agency, challenges) == [
        {"id": page.pk, "service": "Bus passes", "ideas": 2, "supports": 5, "visits": 2}
    ]


def test_top_and_emerging_tags():
    """buses: 2 ideas in the last 14 days, 1 in the 14 before → growth 3/2 = 1.5.
    benches: 2 recent, 0 before → 3/1 = 3.0. lights: 4 ideas, none recent → top, not emerging.
    parks: 1 recent, under the minimum of 2 → not emerging."""
    agency = OrganisationFactory()
    challenge = ChallengeFactory(agency=agency)
    now = timezone.now()
    for tag, days_ago in [
        ("buses", 1), ("buses", 3), ("buses", 20),
        ("benches", 2), ("benches", 5),
        ("lights", 15), ("lights", 16), ("lights", 17), ("lights", 40),
        ("parks", 1),
    ]:  # fmt: skip
        idea = IdeaFactory(challenge=challenge, created_at=now - timedelta(days=days_ago))
        idea.tags.set([tag])
    result = selectors.tags(agency, now)
    assert result["top"] == [
        {"tag": "lights", "ideas": 4},
        {"tag": "buses", "ideas": 3},
        {"tag": "benches", "ideas": 2},
        {"tag": "parks", "ideas": 1},
    ]
    assert result["emerging"] == [
        {"tag": "benches", "recent": 2, "previous": 0, "growth": 3.0},
        {"tag": "buses", "recent": 2, "previous": 1, "growth": 1.5},
    ]


def test_funnel_counts_stages_and_median_days():
    """a: accepted after 2 days. b: accepted after 4, backlog 1 day later, done 10 days after
    that. c: still submitted. d: accepted after 6, backlog 3 days later.
    Posted 4; accepted 3, median(2, 4, 6) = 4; backlog 2, median(1, 3) = 2; done 1, 10 days."""
    agency = OrganisationFactory()
    challenge = ChallengeFactory(agency=agency)
    t0 = timezone.now() - timedelta(days=30)
    item = BacklogItemFactory(agency=agency)

    def idea(status):
        return IdeaFactory(challenge=challenge, created_at=t0, status=status)

    def change(i, to, days):
        StatusChange.objects.create(
            idea=i, from_status="submitted", to_status=to, response="ok", agency=agency,
            created_at=t0 + timedelta(days=days),
        )  # fmt: skip

    a, b, d = idea(Status.ACCEPTED), idea(Status.IMPLEMENTED), idea(Status.IN_BACKLOG)
    idea(Status.SUBMITTED)
    change(a, Status.ACCEPTED, 2)
    change(b, Status.ACCEPTED, 4)
    change(b, Status.IN_BACKLOG, 5)
    change(b, Status.IMPLEMENTED, 15)
    change(d, Status.ACCEPTED, 6)
    BacklogIdeaLink.objects.create(item=item, idea=b, created_at=t0 + timedelta(days=5))
    BacklogIdeaLink.objects.create(item=item, idea=d, created_at=t0 + timedelta(days=9))
    assert [(s["ideas"], s["median_days"]) for s in selectors.funnel(agency)] == [
        (4, None),
        (3, 4.0),
        (2, 2.0),
        (1, 10.0),
    ]


def _segment_fixture():
    """Here: people 1-6 in Riverside aged 25-34, 7-9 in Harbour aged 65+, 10-11 unshared.
    Elsewhere on the platform: 10 more in Harbour aged 65+, 5 in Eastgate aged 35-49."""
    agency, other = OrganisationFactory(), OrganisationFactory()
    now = timezone.now() - timedelta(hours=1)
    for n in range(1, 7):
        event(agency, kinds.IDEA_SUPPORTED, now, n, age_band="25_34", area="riverside")
    for n in range(7, 10):
        event(agency, kinds.IDEA_SUPPORTED, now, n, age_band="65_plus", area="harbour")
        event(agency, kinds.COMMENT_POSTED, now, n, age_band="65_plus", area="harbour")
    for n in range(10, 12):
        event(agency, kinds.IDEA_POSTED, now, n)
    for n in range(20, 30):
        event(other, kinds.IDEA_SUPPORTED, now, n, age_band="65_plus", area="harbour")
    for n in range(30, 35):
        event(None, "exchange.completed", now, n, age_band="35_49", area="eastgate")
    return agency


def test_segments_count_people_and_suppress_groups_under_five():
    agency = _segment_fixture()
    data = selectors.segments(agency)
    assert data["total"] == 11
    area = {r["key"]: r["cell"] for r in data["breakdowns"][1].rows}
    assert (area["riverside"].shown, area["riverside"].value) == (True, 6)
    assert not area["harbour"].shown and area["harbour"].display == "fewer than 5"
    assert not area[""].shown  # 2 people who did not share
    assert area["eastgate"].display == "0"
    age = {r["key"]: r["cell"].display for r in data["breakdowns"][0].rows}
    assert age["25_34"] == "6" and age["65_plus"] == "fewer than 5"


def test_who_is_missing_compares_shares_with_every_participant():
    """Shared here: 9 (Riverside 6, Harbour 3). Platform: 24 (Riverside 6, Harbour 13,
    Eastgate 5). Eastgate 0% vs 5/24 = 21%; Harbour 3/9 = 33% < 0.75 x 13/24 (54%) = 41%;
    Riverside 67% vs 25%: not missing. Ages mirror areas."""
    agency = _segment_fixture()
    missing = selectors.segments(agency)["missing"]
    rows = [(m["attribute"], m["group"], m["share_here"], m["share_base"]) for m in missing]
    assert rows == [
        ("Age group", "35 to 49", 0, 21),
        ("Age group", "65 or over", None, 54),
        ("Area", "Eastgate", 0, 21),
        ("Area", "Harbour", None, 54),
    ]


def test_activity_shows_codesign_kinds_once_recorded_and_exchange_for_everyone():
    agency = OrganisationFactory()
    empty = selectors.activity(agency)
    assert not empty["codesign_any"] and not empty["exchange_any"]
    assert {r["kind"] for r in empty["codesign"]} >= {kinds.SESSION_JOINED, kinds.NOTE_ADDED}
    now = timezone.now()
    event(agency, kinds.SESSION_JOINED, now, 1)
    event(agency, kinds.SESSION_JOINED, now, 2)
    event(agency, kinds.NOTE_ADDED, now, 1)
    event(OrganisationFactory(), kinds.NOTE_ADDED, now, 3)
    event(None, "exchange.completed", now, 4)
    data = selectors.activity(agency)
    rows = {r["kind"]: (r["actions"], r["people"]) for r in data["codesign"]}
    assert rows[kinds.SESSION_JOINED] == (2, 2) and rows[kinds.NOTE_ADDED] == (1, 1)
    assert data["exchange"][0]["actions"] == 1 and data["exchange_any"]
