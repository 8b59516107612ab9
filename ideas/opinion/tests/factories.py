"""Boards with planted opinion groups, built the way people make them: impressions and
support recorded through the opinion services' inputs, then the map computed now."""

from __future__ import annotations

from community.tests.factories import UserFactory
from ideas.opinion import services
from ideas.opinion.models import BoardImpression
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory


def compute_now(kind: str, subject_id: int):
    """Note a change and run the recompute at once (the worker's part, without waiting)."""
    services.schedule_recompute(kind, subject_id)
    return services.map_recompute(kind=kind, subject_id=subject_id)


def planted_board(groups: list[tuple[int, list[int]]], *, ideas: int = 6, challenge=None):
    """A board whose ``ideas`` ideas every participant saw; each (size, supported idea
    indexes) entry is a group of that many people supporting those ideas."""
    challenge = challenge or ChallengeFactory()
    idea_objs = [
        IdeaFactory(challenge=challenge, title=f"Idea {i}", support_count=0) for i in range(ideas)
    ]
    for size, supported in groups:
        for _ in range(size):
            person = UserFactory()
            BoardImpression.objects.create(
                user=person, challenge=challenge, ideas=sorted(i.pk for i in idea_objs)
            )
            for index in supported:
                VoteFactory(idea=idea_objs[index], account=person)
    return challenge, idea_objs
