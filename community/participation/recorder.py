"""Record participation events without slowing or breaking the request that causes them.

Services call :func:`record_event` inside their transaction. Nothing is written then: the
event is kept and handed to ``transaction.on_commit``, so a rolled-back write records nothing
(also when only a savepoint rolls back). After commit each event is written with one segment
look-up and one insert (:func:`write` takes a list, for backfills and the demo); listeners
(the live dashboard counters) are then told which agencies changed. Any failure after commit is logged and
swallowed: the citizen's action has already succeeded and must not turn into an error page.

**Channel.** The website is the default. The API and SMS entry points wrap their service
calls in ``with recording_channel("api"):`` (or ``"sms"``); a context variable carries it
to every event recorded inside, so services need no extra argument. ``record_event(channel=)``
overrides it for one event.

**Segments.** Only for accounts that consent to insight statistics
(``ConsentPurpose.INSIGHT_STATISTICS``) at the moment of writing, and only the attributes
they chose to share (:class:`~community.participation.models.SegmentProfile`). Everyone else's
rows carry no segment at all.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from community.participation.kinds import get_kind
from community.participation.models import Channel, ParticipationEvent, SegmentProfile

logger = logging.getLogger(__name__)

_channel: ContextVar[str] = ContextVar("participation_channel", default=Channel.WEB)
_listeners: list[Callable[[set[int]], None]] = []


@dataclass
class EventRecord:
    kind: str
    user_id: int | None
    agency_id: int | None
    challenge_id: int | None
    service_page_id: int | None
    object_id: int | None
    channel: str
    occurred_at: datetime


def participant_key(user_id: int) -> str:
    """The pseudonymous key of an account in event rows (keyed with ``SECRET_KEY``)."""
    return salted_hmac("community.participation", str(user_id), algorithm="sha256").hexdigest()[:32]


@contextlib.contextmanager
def recording_channel(channel: str) -> Iterator[None]:
    """Events recorded inside come from ``channel`` (``"api"``, ``"sms"``)."""
    if channel not in Channel.values:
        raise ValueError(f"unknown participation channel {channel!r}")
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def current_channel() -> str:
    """The channel events recorded here would get (``recording_channel``, else the website)."""
    return _channel.get()


def on_recorded(listener: Callable[[set[int]], None]) -> None:
    """Call ``listener(agency_ids)`` after events were written (registered in ``ready()``)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _pk(value) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else value.pk


def record_event(
    *,
    kind: str,
    user=None,
    agency=None,
    challenge_id: int | None = None,
    service_page_id: int | None = None,
    object_id: int | None = None,
    channel: str | None = None,
    at: datetime | None = None,
) -> None:
    """Record that ``user`` (None: anonymous) did ``kind``, written after the transaction commits.

    ``agency`` (an organisation or its id) is whose dashboard counts it; the ids say where (a
    challenge, a service page) and what (``object_id``, meaning set by the kind). Raises
    ValueError for an unregistered kind or channel — a programming error, found in tests.
    """
    if get_kind(kind) is None:
        raise ValueError(f"unregistered participation kind {kind!r}")
    channel = channel or _channel.get()
    if channel not in Channel.values:
        raise ValueError(f"unknown participation channel {channel!r}")
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    event = EventRecord(
        kind=kind,
        user_id=user.pk if authenticated else None,
        agency_id=_pk(agency),
        challenge_id=challenge_id,
        service_page_id=service_page_id,
        object_id=object_id,
        channel=channel,
        occurred_at=at or timezone.now(),
    )
    transaction.on_commit(lambda: _committed(event))


def _committed(event: EventRecord) -> None:
    try:
        agencies = write([event])
    except Exception:
        logger.exception("participation event could not be recorded", extra={"kind": event.kind})
        return
    for listener in list(_listeners):
        try:
            listener(agencies)
        except Exception:
            logger.exception("participation listener failed")


def segments_for(user_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(age band, area) of the given accounts that consent to insight statistics."""
    from community.models import ConsentPurpose

    if not user_ids:
        return {}
    rows = SegmentProfile.objects.filter(
        user_id__in=user_ids,
        user__consents__purpose=ConsentPurpose.INSIGHT_STATISTICS,
        user__consents__granted=True,
    ).values_list("user_id", "age_band", "area")
    return {user_id: (age, area) for user_id, age, area in rows}


def write(batch: list[EventRecord]) -> set[int]:
    segments = segments_for({e.user_id for e in batch if e.user_id is not None})
    rows = []
    for e in batch:
        age, area = segments.get(e.user_id, ("", "")) if e.user_id is not None else ("", "")
        rows.append(
            ParticipationEvent(
                kind=e.kind,
                occurred_at=e.occurred_at,
                channel=e.channel,
                agency_id=e.agency_id,
                challenge_id=e.challenge_id,
                service_page_id=e.service_page_id,
                object_id=e.object_id,
                participant=participant_key(e.user_id) if e.user_id is not None else "",
                age_band=age,
                area=area,
            )
        )
    with transaction.atomic():
        ParticipationEvent.objects.bulk_create(rows)
    return {e.agency_id for e in batch if e.agency_id is not None}
