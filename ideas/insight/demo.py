"""Demo insight: events for the demo's ideas, supports and comments (made directly by the ideas
demo, so no service recorded them), segments for the demo citizens who agreed to statistics,
and 30 days of plausible activity by synthetic "demo visitors" so every agency's dashboard has
a history, segments and a "who is missing" to show.

It also adds 24 supporters without personas (``demo-voter-N``, no sign-in) in three patterns
on each agency's busiest challenge, records that each was shown those ideas (board
impressions), and computes those boards' opinion maps, so the map has groups to show.

Idempotent: backfilled events are skipped when already recorded; the synthetic history is
written once (found by its first visitor's key). Exchanges and backlog moves in the demo go
through their services, which record their own events.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Organisation, User
from community.participation.models import AgeBand, ParticipationEvent, SegmentProfile
from community.participation.recorder import EventRecord, participant_key, write
from ideas.insight import kinds
from ideas.models import Challenge, Comment, Idea, Vote
from ideas.opinion.models import BoardImpression
from ideas.opinion.services import map_compute_now

ORDER = 45

SEGMENTS = {
    "citizen@northvale.example": ("35_49", "riverside"),
    "sam@northvale.example": ("65_plus", "harbour"),
}
VISITOR_BASE = 900_000_000
VISITORS = 160
DAYS = 30
# Who the synthetic visitors are: most share an area and age group, some do not.
AREA_WEIGHTS = {
    "riverside": 30,
    "old-town": 25,
    "northfield": 20,
    "harbour": 10,
    "eastgate": 10,
    "hillcrest": 5,
}
AGE_WEIGHTS = {
    AgeBand.UNDER_18: 3,
    AgeBand.FROM_18: 12,
    AgeBand.FROM_25: 25,
    AgeBand.FROM_35: 30,
    AgeBand.FROM_50: 18,
    AgeBand.FROM_65: 12,
}


VOTERS = 24
OPINION_IDEAS = 40  # at most this many ideas of a challenge get the planted supports


def seed(context: dict) -> dict:
    _segments(context.get("users", {}))
    _opinion_voters()
    _backfill()
    _visitors()
    return {}


def _segments(users: dict[str, User]) -> None:
    for email, (age_band, area) in SEGMENTS.items():
        user = users.get(email)
        if user is not None:
            SegmentProfile.objects.get_or_create(
                user=user, defaults={"age_band": age_band, "area": area}
            )


def _opinion_voters() -> None:
    """24 demo supporters (accounts without personas, no sign-in) on each agency's busiest
    challenge, in three planted patterns, so the opinion map has groups to show."""
    from django.db.models import Count, Q

    voters = []
    for n in range(VOTERS):
        user, created = User.objects.get_or_create(username=f"demo-voter-{n + 1}")
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        voters.append(user)
    busiest = (
        Challenge.objects.annotate(n=Count("ideas", filter=Q(ideas__merged_into__isnull=True)))
        .filter(n__gte=4)
        .order_by("agency_id", "-n", "pk")
    )
    chosen: dict[int, Challenge] = {}
    for challenge in busiest:
        chosen.setdefault(challenge.agency_id, challenge)
    rng = random.Random(11)
    touched: set[int] = set()
    for challenge in chosen.values():
        # Bounded: a database that also holds very large boards (the benchmarks' 100,000
        # ideas) must not get 24 supports on every idea, nor take minutes to seed.
        ideas = list(
            Idea.objects.visible().filter(challenge=challenge).order_by("pk")[:OPINION_IDEAS]
        )
        common, rest = ideas[0], ideas[1:]
        half = len(rest) // 2
        patterns = [rest[:half], rest[half:], rest[: max(1, half // 2)] + rest[-1:]]
        for n, voter in enumerate(voters):
            own = patterns[0 if n < 10 else 1 if n < 18 else 2]
            for idea in ideas:
                # Draw both numbers every time so a second run makes the same choices.
                chance, age = rng.random(), rng.random() * 20
                wanted = idea == common or (idea in own and chance < 0.85)
                if wanted and not Vote.objects.filter(idea=idea, account=voter).exists():
                    Vote.objects.create(
                        idea=idea, account=voter, created_at=timezone.now() - timedelta(days=age)
                    )
                    touched.add(idea.pk)
    for idea in Idea.objects.filter(pk__in=touched):
        idea.support_count = Vote.objects.filter(idea=idea).count()
        idea.save(update_fields=["support_count"])
    # The simulated supporters were shown every idea they could support: the board's opinion
    # map needs to know who saw an idea and passed it by. Then the maps, computed now (the
    # demo writes votes directly, so no change scheduled them).
    for challenge in chosen.values():
        shown = sorted(
            Idea.objects.visible()
            .filter(challenge=challenge)
            .order_by("pk")
            .values_list("pk", flat=True)[:OPINION_IDEAS]
        )
        for voter in voters:
            BoardImpression.objects.update_or_create(
                user=voter, challenge=challenge, defaults={"ideas": shown}
            )
        map_compute_now(kind="board", subject_id=challenge.pk)


def _backfill() -> None:
    existing = set(
        ParticipationEvent.objects.filter(
            kind__in=[kinds.IDEA_POSTED, kinds.IDEA_SUPPORTED, kinds.COMMENT_POSTED]
        ).values_list("kind", "object_id", "participant")
    )
    batch: list[EventRecord] = []

    def add(kind, user_id, challenge, object_id, at):
        if user_id is None or (kind, object_id, participant_key(user_id)) in existing:
            return
        batch.append(
            EventRecord(
                kind=kind,
                user_id=user_id,
                agency_id=challenge.agency_id,
                challenge_id=challenge.pk,
                service_page_id=None,
                object_id=object_id,
                channel="web",
                occurred_at=at,
            )
        )

    for idea in Idea.objects.select_related("challenge", "persona"):
        add(kinds.IDEA_POSTED, idea.persona.account_id, idea.challenge, idea.pk, idea.created_at)
    for vote in Vote.objects.select_related("idea__challenge"):
        add(
            kinds.IDEA_SUPPORTED,
            vote.account_id,
            vote.idea.challenge,
            vote.idea_id,
            vote.created_at,
        )
    for comment in Comment.objects.select_related("idea__challenge", "persona"):
        add(
            kinds.COMMENT_POSTED,
            comment.persona.account_id,
            comment.idea.challenge,
            comment.pk,
            comment.created_at,
        )
    if batch:
        write(batch)


def _visitors() -> None:
    if ParticipationEvent.objects.filter(participant=participant_key(VISITOR_BASE)).exists():
        return
    rng = random.Random(45)
    now = timezone.now()
    challenges: dict[int, list[int]] = {}
    for pk, agency_id in Challenge.objects.filter(is_published=True).values_list("pk", "agency_id"):
        challenges.setdefault(agency_id, []).append(pk)
    agencies = list(
        Organisation.objects.filter(pk__in=challenges, kind=Organisation.Kind.AGENCY).order_by("pk")
    )
    if not agencies:
        return
    rows = []
    for n in range(VISITORS):
        key = participant_key(VISITOR_BASE + n)
        shares = rng.random() < 0.7
        area = rng.choices(list(AREA_WEIGHTS), weights=list(AREA_WEIGHTS.values()))[0]
        age = rng.choices(list(AGE_WEIGHTS), weights=list(AGE_WEIGHTS.values()))[0]
        # Each agency draws a different crowd: the first under-reaches Harbour and over-65s.
        agency = agencies[n % len(agencies)]
        if agency == agencies[0] and (area == "harbour" or age == AgeBand.FROM_65):
            agency = agencies[(n + 1) % len(agencies)] if len(agencies) > 1 else agency
        for _action in range(rng.randint(1, 6)):
            kind = rng.choices(
                [
                    kinds.IDEA_SUPPORTED,
                    kinds.COMMENT_POSTED,
                    kinds.IDEA_POSTED,
                    kinds.SERVICE_PAGE_VIEWED,
                ],
                weights=[60, 20, 10, 10],
            )[0]
            rows.append(
                ParticipationEvent(
                    kind=kind,
                    occurred_at=now - timedelta(days=rng.random() * DAYS),
                    channel=rng.choices(["web", "api", "sms"], weights=[85, 5, 10])[0],
                    agency=agency,
                    challenge_id=rng.choice(challenges[agency.pk]),
                    participant=key,
                    age_band=age if shares else "",
                    area=area if shares else "",
                )
            )
    ParticipationEvent.objects.bulk_create(rows)
