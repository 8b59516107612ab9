"""What ideas tells outreach: audiences, the weekly digest, reminders and the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from community.actions.follows import follow
from community.models import NotificationPreference
from community.outreach import tasks
from community.outreach.categories import CAMPAIGNS, DIGEST, REMINDERS
from community.outreach.models import DigestSent, ReminderSent
from community.outreach.selectors import email_audience
from community.tests.factories import OrganisationFactory, UserFactory
from ideas.budgeting.models import Ballot
from ideas.budgeting.tests.factories import BudgetFactory, ProcessFactory, VoterFactory
from ideas.codesign.models import Visibility
from ideas.codesign.tests.factories import ParticipantFactory, SessionFactory
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def opted_in(category: str, **kwargs):
    user, _persona = citizen(**kwargs)
    NotificationPreference.objects.create(user=user, category=category, email=True)
    return user


def test_a_campaign_audience_is_the_followers_of_the_agencys_challenges_who_opted_in():
    agency = OrganisationFactory()
    challenge = ChallengeFactory(agency=agency)
    idea = IdeaFactory(challenge=challenge)
    follows_challenge = opted_in(CAMPAIGNS)
    follows_idea = opted_in(CAMPAIGNS)
    other_agency = opted_in(CAMPAIGNS)
    not_opted, _p = citizen()
    follow(user=follows_challenge, target=challenge)
    follow(user=follows_idea, target=idea)
    follow(user=other_agency, target=ChallengeFactory())
    follow(user=not_opted, target=challenge)

    assert email_audience(agency) == sorted([follows_challenge.pk, follows_idea.pk])


def test_the_weekly_digest_goes_once_a_week_to_followers_who_asked_for_it():
    now = timezone.now()
    week, since, _until = tasks.week_before(now)
    challenge = ChallengeFactory()
    reader = opted_in(DIGEST)
    follows_nothing = opted_in(DIGEST)
    did_not_ask, _p = citizen()
    follow(user=reader, target=challenge)
    follow(user=did_not_ask, target=challenge)
    IdeaFactory(challenge=challenge, created_at=since + timedelta(days=1))
    IdeaFactory(challenge=challenge, created_at=since + timedelta(days=2))
    IdeaFactory(challenge=challenge, created_at=now - timedelta(days=30))  # an older week

    assert tasks.send_digests.call(now=now.isoformat()) == 1
    assert tasks.send_digests.call(now=now.isoformat()) == 0  # once per week
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert challenge.question in message.body and "2 new ideas." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert follows_nothing.email not in [m.to[0] for m in mail.outbox]
    assert DigestSent.objects.filter(user=reader, week=week).count() == 1


def _ics(message) -> Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    return Calendar.from_ical(content)


def test_participants_are_reminded_once_an_hour_before_their_session_with_an_ics_file():
    session = SessionFactory(scheduled_at=timezone.now() + timedelta(minutes=40))
    joined = ParticipantFactory(session=session)
    left = ParticipantFactory(session=session, removed_at=timezone.now())
    later = SessionFactory(scheduled_at=timezone.now() + timedelta(hours=5))
    ParticipantFactory(session=later)

    assert tasks.reminders_run() == 1
    assert tasks.reminders_run() == 0  # once
    [message] = mail.outbox
    assert message.to == [joined.account.email]
    assert session.title in message.subject
    [event] = _ics(message).walk("VEVENT")
    assert event["DTSTART"].dt == session.scheduled_at.replace(microsecond=0) or (
        event["DTSTART"].dt.replace(microsecond=0) == session.scheduled_at.replace(microsecond=0)
    )
    assert event["DTSTART"].dt.utcoffset() == timedelta(0)
    assert not ReminderSent.objects.filter(user=left.account).exists()


def test_voters_who_have_not_voted_hear_the_day_before_voting_closes():
    now = timezone.now()
    process = ProcessFactory(voting_close=now + timedelta(hours=20))
    budget = BudgetFactory(process=process)
    waiting = VoterFactory(process=process)
    voted = VoterFactory(process=process)
    Ballot.objects.create(budget=budget, voter=voted, channel="web", choices={"1": 1})
    refused = VoterFactory(process=process)
    NotificationPreference.objects.create(user=refused.user, category=REMINDERS, email=False)

    tasks.reminders_run()
    tasks.reminders_run()

    assert [m.to for m in mail.outbox] == [[waiting.user.email]]
    assert process.title in mail.outbox[0].subject


def test_followers_hear_once_that_a_challenge_stops_taking_ideas_tomorrow():
    challenge = ChallengeFactory(ideas_close_at=timezone.now() + timedelta(hours=10))
    reader, _p = citizen()
    follow(user=reader, target=challenge)
    tasks.reminders_run()
    tasks.reminders_run()
    assert [m.to for m in mail.outbox] == [[reader.email]]


def _feed() -> Calendar:
    response = Client().get("/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_public_calendar_lists_open_sessions_and_deadlines_and_nothing_private():
    open_session = SessionFactory(title="Open bus workshop")
    SessionFactory(title="Invited panel test", visibility=Visibility.INVITED)
    challenge = ChallengeFactory()
    ChallengeFactory(question="How might we keep this draft secret?", is_published=False)
    process = ProcessFactory()

    events = _feed().walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Open bus workshop" in summaries
    assert not any("Invited panel test" in s for s in summaries)
    assert not any("draft secret" in s for s in summaries)
    assert any(challenge.question in s for s in summaries)
    assert any(process.title in s for s in summaries)
    for event in events:
        assert event["DTSTART"].dt.utcoffset() == timedelta(0)
    uids = sorted(str(e["UID"]) for e in events)
    assert uids == sorted(str(e["UID"]) for e in _feed().walk("VEVENT"))  # stable UIDs
    assert f"codesign-session-{open_session.pk}@" in " ".join(uids)


def test_a_session_downloads_as_one_event_for_those_who_may_see_it():
    open_session = SessionFactory()
    invited = SessionFactory(visibility=Visibility.INVITED)
    response = Client().get(f"/sessions/{open_session.pk}/calendar.ics")
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == open_session.title
    assert Client().get(f"/sessions/{invited.pk}/calendar.ics").status_code == 404
    assert UserFactory  # factories imported for the audience tests


def test_the_scheduler_round_sends_due_reminders_through_the_worker():
    from io import StringIO

    from django.core.management import call_command

    session = SessionFactory(scheduled_at=timezone.now() + timedelta(minutes=30))
    joined = ParticipantFactory(session=session)
    call_command("outreach_round", stdout=StringIO())
    call_command("outreach_round", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[joined.account.email]]
