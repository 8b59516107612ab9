"""What ideas tells outreach: who hears from an agency, weekly news on followed challenges and
ideas, reminders before sessions and deadlines, and the public calendar.

Registered in ``IdeasConfig.ready()`` (``community`` never imports ``ideas``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.models import Follow, Organisation
from community.moderation.selectors import hidden_q
from community.outreach import registry
from community.outreach.calendar import uid_for
from community.outreach.registry import CalendarEvent, DigestItem, Reminder
from ideas.budgeting.models import Ballot, BudgetProcess, Voter
from ideas.codesign.models import CodesignSession, Participant, Phase, Visibility
from ideas.models import Challenge, Idea, StatusChange

SESSION_LENGTH = timedelta(hours=2)
CALENDAR_PAST = timedelta(days=90)


# -- audiences ----------------------------------------------------------------------------


def followers_of_agency(agency: Organisation) -> Iterable[int]:
    """Accounts following one of the agency's published challenges, or an idea on one."""
    challenges = Challenge.objects.filter(agency=agency, is_published=True)
    ideas = Idea.objects.filter(challenge__in=challenges)
    follows = Follow.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(Challenge),
            object_id__in=challenges.values("pk"),
        )
        | Q(content_type=ContentType.objects.get_for_model(Idea), object_id__in=ideas.values("pk"))
    )
    return follows.values_list("user_id", flat=True).distinct()


# -- weekly digest ------------------------------------------------------------------------


def challenge_news(ids: list[int], since: datetime, until: datetime) -> list[DigestItem]:
    challenges = Challenge.objects.filter(pk__in=ids, is_published=True).annotate(
        new_ideas=Count(
            "ideas",
            filter=Q(
                ideas__created_at__gte=since,
                ideas__created_at__lt=until,
                ideas__merged_into__isnull=True,
            )
            & ~Q(ideas__in=Idea.objects.filter(hidden_q(Idea))),
        )
    )
    items = []
    for challenge in challenges.order_by("pk"):
        lines = []
        if challenge.new_ideas:
            lines.append(
                ngettext("%(n)d new idea.", "%(n)d new ideas.", challenge.new_ideas)
                % {"n": challenge.new_ideas}
            )
        if since <= challenge.ideas_close_at < until:
            lines.append(_("It stopped taking new ideas."))
        if since <= challenge.closes_at < until:
            lines.append(_("It closed."))
        if lines:
            items.append(DigestItem(str(challenge), challenge.get_absolute_url(), " ".join(lines)))
    return items


def idea_news(ids: list[int], since: datetime, until: datetime) -> list[DigestItem]:
    changes = (
        StatusChange.objects.filter(idea_id__in=ids, created_at__gte=since, created_at__lt=until)
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("idea")
        .order_by("idea_id", "-created_at")
    )
    latest: dict[int, StatusChange] = {}
    for change in changes:
        latest.setdefault(change.idea_id, change)
    return [
        DigestItem(
            change.idea.title,
            change.idea.get_absolute_url(),
            _("Now: %(status)s.") % {"status": change.idea.get_status_display()},
        )
        for change in latest.values()
    ]


# -- reminders ----------------------------------------------------------------------------


def _session_event(session: CodesignSession) -> CalendarEvent:
    return CalendarEvent(
        uid=uid_for("codesign-session", session.pk),
        title=session.title,
        start=session.scheduled_at,
        end=session.scheduled_at + SESSION_LENGTH,
        url=session.get_absolute_url(),
        description=session.goal,
    )


def sessions_starting(now: datetime) -> list[Reminder]:
    """Participants of a session that starts within the hour (once per session and time)."""
    sessions = CodesignSession.objects.filter(
        scheduled_at__gt=now, scheduled_at__lte=now + timedelta(hours=1), phase=Phase.LOBBY
    )
    people: dict[int, list[int]] = {}
    for session_id, account_id in Participant.objects.filter(
        session__in=sessions, account__isnull=False, removed_at__isnull=True
    ).values_list("session_id", "account_id"):
        people.setdefault(session_id, []).append(account_id)
    reminders = []
    for session in sessions:
        if session.pk not in people:
            continue
        title = session.title
        reminders.append(
            Reminder(
                key=f"codesign.session:{session.pk}:{session.scheduled_at:%Y%m%dT%H%M}",
                user_ids=people[session.pk],
                subject=lambda title=title: (
                    _("Your co-design session starts in an hour: %(t)s") % {"t": title}
                ),
                body=lambda title=title: (
                    _("“%(t)s” starts within the hour. Join from the session page.") % {"t": title}
                ),
                event=_session_event(session),
            )
        )
    return reminders


def challenge_ideas_closing(now: datetime) -> list[Reminder]:
    """Followers of a challenge that stops taking ideas within a day."""
    challenges = Challenge.objects.filter(
        is_published=True, ideas_close_at__gt=now, ideas_close_at__lte=now + timedelta(days=1)
    )
    ct = ContentType.objects.get_for_model(Challenge)
    followers: dict[int, list[int]] = {}
    for object_id, user_id in Follow.objects.filter(
        content_type=ct, object_id__in=challenges.values("pk")
    ).values_list("object_id", "user_id"):
        followers.setdefault(object_id, []).append(user_id)
    reminders = []
    for challenge in challenges:
        if challenge.pk not in followers:
            continue
        question = str(challenge)
        reminders.append(
            Reminder(
                key=f"ideas.challenge:{challenge.pk}:{challenge.ideas_close_at:%Y%m%dT%H%M}",
                user_ids=followers[challenge.pk],
                subject=lambda q=question: _("Ideas close tomorrow: %(q)s") % {"q": q},
                body=lambda q=question: (
                    _("“%(q)s” takes new ideas until tomorrow. Add yours before it closes.")
                    % {"q": q}
                ),
                event=_challenge_event(challenge, "ideas-close"),
            )
        )
    return reminders


def voting_closing(now: datetime) -> list[Reminder]:
    """Registered voters who have not voted yet, the day before voting closes."""
    reminders = []
    for process in BudgetProcess.objects.filter(
        voting_open__lte=now,
        voting_close__gt=now,
        voting_close__lte=now + timedelta(days=1),
        closed_early_at__isnull=True,
    ):
        voted = Ballot.objects.filter(voter__process=process).values("voter_id")
        user_ids = list(
            Voter.objects.filter(process=process, user__isnull=False)
            .exclude(pk__in=voted)
            .values_list("user_id", flat=True)
        )
        if not user_ids:
            continue
        title = process.title
        reminders.append(
            Reminder(
                key=f"budgeting.process:{process.pk}:{process.voting_close:%Y%m%dT%H%M}",
                user_ids=user_ids,
                subject=lambda t=title: _("Voting closes tomorrow: %(t)s") % {"t": t},
                body=lambda t=title: (
                    _("You have not voted in “%(t)s” yet. Voting closes tomorrow.") % {"t": t}
                ),
                event=_voting_event(process),
            )
        )
    return reminders


# -- calendar -----------------------------------------------------------------------------


def _challenge_event(challenge: Challenge, what: str) -> CalendarEvent:
    when = challenge.ideas_close_at if what == "ideas-close" else challenge.closes_at
    title = (_("Ideas close: %(q)s") if what == "ideas-close" else _("Challenge closes: %(q)s")) % {
        "q": str(challenge)
    }
    return CalendarEvent(
        uid=uid_for("challenge", challenge.pk, what),
        title=title,
        start=when,
        end=when,
        url=challenge.get_absolute_url(),
        description=challenge.cover_text,
    )


def _voting_event(process: BudgetProcess) -> CalendarEvent:
    return CalendarEvent(
        uid=uid_for("budget-voting", process.pk),
        title=_("Voting: %(t)s") % {"t": process.title},
        start=process.voting_open,
        end=process.voting_ends,
        url=process.get_absolute_url(),
        description=process.description,
    )


def public_sessions() -> list[CalendarEvent]:
    """Open (listed) sessions only: invited sessions are private and never in the feed."""
    since = timezone.now() - CALENDAR_PAST
    return [
        _session_event(session)
        for session in CodesignSession.objects.filter(
            visibility=Visibility.OPEN, scheduled_at__gte=since
        ).order_by("scheduled_at", "pk")
    ]


def challenge_deadlines() -> list[CalendarEvent]:
    since = timezone.now() - CALENDAR_PAST
    events = []
    for challenge in Challenge.objects.filter(is_published=True, closes_at__gte=since):
        events.append(_challenge_event(challenge, "ideas-close"))
        if challenge.closes_at > challenge.ideas_close_at:
            events.append(_challenge_event(challenge, "closes"))
    return events


def voting_windows() -> list[CalendarEvent]:
    since = timezone.now() - CALENDAR_PAST
    return [_voting_event(p) for p in BudgetProcess.objects.filter(voting_close__gte=since)]


def session_calendar_url(session: CodesignSession) -> str:
    return reverse("codesign:calendar", args=[session.pk])


def register() -> None:
    registry.register_audience("ideas.followers", followers_of_agency)
    registry.register_digest_source("ideas.challenge", challenge_news)
    registry.register_digest_source("ideas.idea", idea_news)
    registry.register_reminders("codesign.starts", sessions_starting)
    registry.register_reminders("ideas.ideas_close", challenge_ideas_closing)
    registry.register_reminders("budgeting.voting_closes", voting_closing)
    registry.register_calendar("codesign", public_sessions)
    registry.register_calendar("challenges", challenge_deadlines)
    registry.register_calendar("budgeting", voting_windows)
