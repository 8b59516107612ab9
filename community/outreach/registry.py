"""What other apps tell outreach: audiences, digest news, reminders and calendar events.

``community`` never imports ``ideas``; ``ideas`` registers in ``AppConfig.ready()``::

    from community.outreach import registry
    registry.register_audience("challenge_followers", followers_of_agency_challenges)
    registry.register_digest_source("ideas.challenge", challenge_news)
    registry.register_reminders("codesign.starts", sessions_starting)
    registry.register_calendar("codesign", public_sessions)

An audience function answers the ids of accounts that asked to hear about an agency (for
example by following its challenges); the campaign send then keeps only those who also
consented to campaign email (or texts) at the moment of sending. Digest sources are keyed by
the followed model's ``app_label.model_name`` and called in the reader's language. Calendar
sources must return public events only: the feed is served to anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from community.models import Organisation


@dataclass(frozen=True)
class CalendarEvent:
    """One calendar entry. ``uid`` must stay the same for the same thing for ever."""

    uid: str
    title: str
    start: datetime
    url: str
    end: datetime | None = None
    description: str = ""
    location: str = ""


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class Reminder:
    """Something due soon for ``user_ids``. ``key`` names the thing and the moment (one
    reminder per person per key, ever); ``subject`` and ``body`` are called in each
    recipient's language."""

    key: str
    user_ids: list[int]
    subject: Callable[[], str]
    body: Callable[[], str]
    event: CalendarEvent
    category: str = field(default="outreach.reminders")


AudienceSource = Callable[[Organisation], Iterable[int]]
DigestSource = Callable[[list[int], datetime, datetime], list[DigestItem]]
ReminderSource = Callable[[datetime], Iterable[Reminder]]
CalendarSource = Callable[[], Iterable[CalendarEvent]]

_audiences: dict[str, AudienceSource] = {}
_digest_sources: dict[str, DigestSource] = {}
_reminders: dict[str, ReminderSource] = {}
_calendars: dict[str, CalendarSource] = {}


def register_audience(key: str, source: AudienceSource) -> None:
    _audiences[key] = source


def register_digest_source(model_label: str, source: DigestSource) -> None:
    """``source(object_ids, since, until)``: what changed on those followed objects."""
    _digest_sources[model_label.lower()] = source


def register_reminders(key: str, source: ReminderSource) -> None:
    _reminders[key] = source


def register_calendar(key: str, source: CalendarSource) -> None:
    _calendars[key] = source


def audience_sources() -> list[AudienceSource]:
    return list(_audiences.values())


def digest_source(model_label: str) -> DigestSource | None:
    return _digest_sources.get(model_label.lower())


def reminder_sources() -> list[ReminderSource]:
    return list(_reminders.values())


def calendar_events() -> list[CalendarEvent]:
    events = [event for source in _calendars.values() for event in source()]
    return sorted(events, key=lambda e: (e.start, e.uid))
