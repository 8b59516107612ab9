"""Co-design sessions on the city-wide map: open sessions with a venue (registered in
``CodesignConfig.ready``). One query."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from community.places.layers import Layer, MapFilter, MapItem, register_layer
from ideas.codesign.models import CodesignSession, Visibility


def _placed_sessions(wanted: MapFilter) -> QuerySet[CodesignSession]:
    sessions = CodesignSession.objects.filter(
        visibility=Visibility.OPEN, latitude__isnull=False, longitude__isnull=False
    ).select_related("district")
    if wanted.district is not None:
        sessions = sessions.filter(district=wanted.district)
    return sessions.order_by("-scheduled_at", "-pk")


def _sessions(wanted: MapFilter) -> list[MapItem]:
    sessions = _placed_sessions(wanted)
    return [
        MapItem(
            kind="session",
            kind_label=_("Co-design session"),
            title=session.title,
            url=session.get_absolute_url(),
            latitude=session.latitude,  # type: ignore[arg-type]  # filtered: not null
            longitude=session.longitude,  # type: ignore[arg-type]
            district=session.district.name if session.district else "",
            status=session.phase,
            status_label=session.phase_label,
            extra={"id": session.pk},
        )
        for session in sessions[: wanted.limit]
    ]


def register() -> None:
    # No status filter: a session's phases are steps of one workshop, not its progress.
    register_layer(Layer("session", _("Co-design sessions"), _sessions))
