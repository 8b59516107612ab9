"""Ideas on maps: the layers of the city-wide map, and a board's own map.

Registered in ``IdeasConfig.ready`` (community.places never imports ideas). Only what anyone
may see: ideas on published boards, not merged, held or hidden; published challenges; open
(co-design sessions: ideas.codesign.places). A fixed number of queries whatever the number of items.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from community.moderation.selectors import hidden_q
from community.places.layers import Layer, MapFilter, MapItem, register_layer
from community.places.models import District
from ideas.models import Challenge, Idea, Phase, Status


def _placed(queryset: QuerySet, district: District | None) -> QuerySet:
    placed = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    return placed.filter(district=district) if district is not None else placed


def public_placed_ideas(
    *, district: District | None = None, status: str = "", challenge: Challenge | None = None
) -> QuerySet[Idea]:
    """Public ideas with a point (newest first), with their district: one query."""
    ideas = (
        Idea.objects.visible()
        .filter(challenge__is_published=True)
        .exclude(hidden_q(Idea))
        .select_related("district")
        .order_by("-created_at", "-id")
    )
    if challenge is not None:
        ideas = ideas.filter(challenge=challenge)
    if status:
        ideas = ideas.filter(status=status)
    return _placed(ideas, district)


def idea_item(idea: Idea) -> MapItem:
    assert idea.latitude is not None and idea.longitude is not None
    return MapItem(
        kind="idea",
        kind_label=_("Idea"),
        title=idea.title,
        url=idea.get_absolute_url(),
        latitude=idea.latitude,
        longitude=idea.longitude,
        district=idea.district.name if idea.district else "",
        status=idea.status,
        status_label=Status(idea.status).label,
        extra={"id": idea.pk, "challenge_id": idea.challenge_id},
    )


def _ideas(wanted: MapFilter) -> list[MapItem]:
    rows = public_placed_ideas(district=wanted.district, status=wanted.status)[: wanted.limit]
    return [idea_item(idea) for idea in rows]


def _challenges(wanted: MapFilter) -> list[MapItem]:
    challenges = _placed(
        Challenge.objects.published().select_related("district"), wanted.district
    ).order_by("-opens_at", "-id")
    items = []
    for challenge in challenges[: wanted.limit * 2]:
        phase = challenge.phase
        if wanted.status and phase != wanted.status:
            continue
        assert challenge.latitude is not None and challenge.longitude is not None
        items.append(
            MapItem(
                kind="challenge",
                kind_label=_("Challenge"),
                title=challenge.question,
                url=challenge.get_absolute_url(),
                latitude=challenge.latitude,
                longitude=challenge.longitude,
                district=challenge.district.name if challenge.district else "",
                status=phase,
                status_label=Phase(phase).label,
                extra={"id": challenge.pk},
            )
        )
    return items[: wanted.limit]


def register() -> None:
    register_layer(Layer("idea", _("Ideas"), _ideas, statuses=Status.choices))
    register_layer(Layer("challenge", _("Challenges"), _challenges, statuses=Phase.choices))
