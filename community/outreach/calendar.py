"""iCalendar (RFC 5545) files: the public feed, one event to download, a reminder's attachment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from community.outreach.registry import CalendarEvent

DEFAULT_LENGTH = timedelta(hours=1)


def absolute(url: str) -> str:
    if urlsplit(url).scheme:
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def uid_for(kind: str, pk: object, what: str = "") -> str:
    """A stable UID: the same for the same thing however often the feed is read."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}{'-' + what if what else ''}@{host}"


def to_ical(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    """A VCALENDAR with each event; every time is written in UTC."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//outreach//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        start = item.start.astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", (item.end or item.start + DEFAULT_LENGTH).astimezone(UTC))
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        event.add("url", absolute(item.url))
        cal.add_component(event)
    return cal.to_ical()


def ics_response(events: Iterable[CalendarEvent], *, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(to_ical(events, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
