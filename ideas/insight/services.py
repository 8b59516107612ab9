"""Insight writes: only events that no other service records (the rest are recorded by the
services that make the change, see :mod:`ideas.insight.kinds`)."""

from __future__ import annotations

from community.participation.recorder import record_event
from ideas.insight.kinds import SERVICE_PAGE_VIEWED
from ideas.models import Challenge

FROM_CHALLENGE = "from_challenge"


def service_page_view_record(*, request, page) -> None:
    """A service page opened through a challenge's "About" link (``?from_challenge=<id>``).

    Counted for the challenge's agency only when that published challenge really links to the
    page, so a hand-made URL cannot inflate another agency's figures. One query, and only when
    the parameter is present.
    """
    raw = request.GET.get(FROM_CHALLENGE, "")
    if not raw.isdigit() or len(raw) > 12:
        return
    row = (
        Challenge.objects.filter(pk=int(raw), service_pages=page.pk, is_published=True)
        .values_list("pk", "agency_id")
        .first()
    )
    if row is None:
        return
    record_event(
        kind=SERVICE_PAGE_VIEWED,
        user=request.user,
        agency=row[1],
        challenge_id=row[0],
        service_page_id=page.pk,
    )
