"""Insight writes: only events that no other service records (the rest are recorded by the
services that make the change, see :mod:`ideas.insight.kinds`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from community.participation.recorder import participant_key, record_event
from ideas.insight.kinds import SERVICE_PAGE_VIEWED
from ideas.insight.models import ServicePageVisit
from ideas.models import Challenge

FROM_CHALLENGE = "from_challenge"


def visitor_key(request: HttpRequest) -> str:
    """Who is visiting, as a keyed hash: the account if signed in, else the session, else
    the client address with its browser (for visitors with no cookie at all)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return participant_key(user.pk)
    session = getattr(request, "session", None)
    source = f"session:{session.session_key}" if session and session.session_key else ""
    if not source:
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
        source = f"client:{request.META.get('REMOTE_ADDR', '')}|{agent}"
    return salted_hmac("insight.visitor", source, algorithm="sha256").hexdigest()[:32]


def service_page_view_record(*, request: HttpRequest, page: Model) -> None:
    """A service page opened through a challenge's "About" link (``?from_challenge=<id>``).

    Counted for the challenge's agency only when that published challenge really links to the
    page, so a hand-made URL cannot inflate another agency's figures; and at most once per
    visitor (:func:`visitor_key`), service page and day, however often the link is replayed:
    a ``ServicePageVisit`` row, unique on those three, is claimed first. No query without the
    parameter. Called from ``ServicePage.serve``, not while building the page's context
    (previews build that too).
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
    try:
        with transaction.atomic():
            ServicePageVisit.objects.create(
                visitor=visitor_key(request), service_page_id=page.pk, day=timezone.localdate()
            )
            record_event(
                kind=SERVICE_PAGE_VIEWED,
                user=request.user,
                agency=row[1],
                challenge_id=row[0],
                service_page_id=page.pk,
            )
    except IntegrityError:
        return  # this visitor was counted for this page today
