"""Boards with planted opinion groups, built the way people make them: impressions and
support recorded through the opinion services' inputs, then the map computed now."""

from __future__ import annotations

from community.tests.factories import UserFactory
from ideas.opinion import services
from ideas.opinion.models import BoardImpression
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory


def compute_now(kind: str, subject_id: int):
    """Note a change and run the recompute at once (the worker's part, without waiting)."""
    return services.map_compute_now(kind=kind, subject_id=subject_id)


def planted_board(groups: list[tuple[int, list[int]]], *, ideas: int = 6, challenge=None):
    """A board with ``ideas`` new ideas; each (size, supported idea indexes) entry is a group
    of that many new people who saw every idea on the board and support those."""
    challenge = challenge or ChallengeFactory()
    idea_objs = [
        IdeaFactory(challenge=challenge, title=f"Idea {i}", support_count=0) for i in range(ideas)
    ]
    seen = sorted(challenge.ideas.values_list("pk", flat=True))
    for size, supported in groups:
        for _ in range(size):
            person = UserFactory()
            BoardImpression.objects.create(user=person, challenge=challenge, ideas=seen)
            for index in supported:
                VoteFactory(idea=idea_objs[index], account=person)
    return challenge, idea_objs
