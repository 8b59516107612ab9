"""The citizen's view of participation data: export sections and erasure."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from community.participation.models import AgeBand, ParticipationEvent, area_label
from community.participation.recorder import participant_key
from community.privacy import register_erasure, register_export


def export_segments(user) -> list[dict[str, Any]]:
    profile = getattr(user, "segment_profile", None) if user.pk else None
    if profile is None or not (profile.age_band or profile.area):
        return []
    return [
        {
            "age_group": str(AgeBand(profile.age_band).label) if profile.age_band else None,
            "area": area_label(profile.area) if profile.area else None,
            "updated_at": profile.updated_at.isoformat(),
        }
    ]


def export_events(user) -> list[dict[str, Any]]:
    from community.participation.kinds import label_of

    return [
        {
            "what": label_of(kind),
            "at": at.isoformat(),
            "channel": channel,
            "age_group": age or None,
            "area": area or None,
        }
        for kind, at, channel, age, area in ParticipationEvent.objects.filter(
            participant=participant_key(user.pk)
        )
        .order_by("occurred_at", "id")
        .values_list("kind", "occurred_at", "channel", "age_band", "area")
    ]


def erase(user) -> None:
    """Deletion: the shared segments go; event rows stay as anonymous counts."""
    from community.participation.models import SegmentProfile

    SegmentProfile.objects.filter(user=user).delete()
    ParticipationEvent.objects.filter(participant=participant_key(user.pk)).update(
        participant="", age_band="", area=""
    )


def forget_segments(user) -> None:
    """Consent to insight statistics withdrawn: past events lose their segment attributes."""
    ParticipationEvent.objects.filter(participant=participant_key(user.pk)).exclude(
        age_band="", area=""
    ).update(age_band="", area="")


def register() -> None:
    register_export("insight_segments", _("What you share for insight statistics"), export_segments)
    register_export(
        "participation_events", _("Actions counted in agencies' statistics"), export_events
    )
    register_erasure("participation", erase)
