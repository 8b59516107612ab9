"""Each action records its participation event through the service that performs it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from community.participation.models import ParticipationEvent
from community.participation.recorder import participant_key
from community.participation.tests.factories import consenting
from community.tests.factories import OrganisationFactory
from ideas import actions
from ideas.backlog import actions as backlog_actions
from ideas.backlog.tests.factories import BacklogItemFactory, designer
from ideas.insight import kinds
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _events():
    return list(
        ParticipationEvent.objects.order_by("id").values(
            "kind", "agency_id", "challenge_id", "object_id", "participant", "age_band", "area"
        )
    )


def test_posting_supporting_and_commenting_each_record_an_event_with_segments_if_consented(
    django_capture_on_commit_callbacks,
):
    challenge = ChallengeFactory()
    user, _persona = consenting("25_34", "riverside")
    other_idea = IdeaFactory(challenge=challenge)
    with django_capture_on_commit_callbacks(execute=True):
        idea = actions.idea_create(
            user=user, challenge=challenge, title="Benches", body="More benches."
        )
        actions.vote_cast(user=user, idea=other_idea)
        comment = actions.comment_create(user=user, idea=other_idea, body="Yes please.")
    key = participant_key(user.pk)
    base = {"agency_id": challenge.agency_id, "challenge_id": challenge.pk, "participant": key}
    assert _events() == [
        {
            **base,
            "kind": kinds.IDEA_POSTED,
            "object_id": idea.pk,
            "age_band": "25_34",
            "area": "riverside",
        },
        {
            **base,
            "kind": kinds.IDEA_SUPPORTED,
            "object_id": other_idea.pk,
            "age_band": "25_34",
            "area": "riverside",
        },
        {
            **base,
            "kind": kinds.COMMENT_POSTED,
            "object_id": comment.pk,
            "age_band": "25_34",
            "area": "riverside",
        },
    ]


def test_a_non_consenting_citizens_actions_are_counted_without_any_segment(
    django_capture_on_commit_callbacks,
):
    challenge = ChallengeFactory()
    user, _persona = citizen()
    with django_capture_on_commit_callbacks(execute=True):
        idea = actions.idea_create(user=user, challenge=challenge, title="Lights", body="More.")
        actions.vote_cast(user=citizen()[0], idea=idea)
    assert [(e["kind"], e["age_band"], e["area"]) for e in _events()] == [
        (kinds.IDEA_POSTED, "", ""),
        (kinds.IDEA_SUPPORTED, "", ""),
    ]


def test_a_refused_action_records_nothing(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    author = idea.persona.account
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        actions.vote_cast(user=author, idea=idea)  # own idea: refused
    assert _events() == []


def test_a_backlog_status_change_records_an_event_for_the_agency(
    django_capture_on_commit_callbacks,
):
    agency = OrganisationFactory()
    item = BacklogItemFactory(agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        backlog_actions.item_transition(user=designer(agency), item=item, status="triaged")
    (event,) = _events()
    assert (event["kind"], event["agency_id"], event["object_id"]) == (
        kinds.BACKLOG_STATUS_CHANGED,
        agency.pk,
        item.pk,
    )


def test_opening_a_service_page_from_its_challenge_link_is_recorded_for_that_agency(
    client, django_capture_on_commit_callbacks
):
    from cms.tests.factories import make_home, make_index, make_service

    page = make_service(make_index(make_home()))
    challenge = ChallengeFactory()
    challenge.service_pages.set([page])
    unrelated = ChallengeFactory()
    board = client.get(challenge.get_absolute_url()).content.decode()
    assert f"?from_challenge={challenge.pk}" in board
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"{page.url}?from_challenge={challenge.pk}").status_code == 200
        client.get(f"{page.url}?from_challenge={unrelated.pk}")  # not linked: ignored
        client.get(f"{page.url}?from_challenge=abc")
        client.get(page.url)
    (event,) = _events()
    assert (event["kind"], event["agency_id"], event["challenge_id"], event["participant"]) == (
        kinds.SERVICE_PAGE_VIEWED,
        challenge.agency_id,
        challenge.pk,
        "",
    )
    assert ParticipationEvent.objects.get().service_page_id == page.pk


def test_a_codesign_kind_needs_only_a_record_event_call(django_capture_on_commit_callbacks):
    """What ``ideas.codesign`` will do: the kinds are registered; recording is one call."""
    from community.participation.recorder import record_event

    agency = OrganisationFactory()
    user, _persona = consenting("50_64", "hillcrest")
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=kinds.SESSION_JOINED, user=user, agency=agency, object_id=3)
        record_event(kind=kinds.NOTE_ADDED, user=user, agency=agency, object_id=9)
    assert [(e["kind"], e["area"]) for e in _events()] == [
        (kinds.SESSION_JOINED, "hillcrest"),
        (kinds.NOTE_ADDED, "hillcrest"),
    ]


def test_joining_a_session_and_adding_a_note_record_codesign_events(
    django_capture_on_commit_callbacks,
):
    from ideas.codesign import actions as codesign_actions
    from ideas.codesign.models import Phase
    from ideas.codesign.tests.factories import SessionFactory, person

    challenge = ChallengeFactory()
    session = SessionFactory(
        agency=challenge.agency, challenge=challenge, phase=Phase.DIVERGE, allow_guests=True
    )
    user, persona = person()
    with django_capture_on_commit_callbacks(execute=True):
        member = codesign_actions.participant_join(user=user, session=session, persona=persona)
        guest = codesign_actions.participant_join(user=None, session=session, guest_name="Gwen")
        note = codesign_actions.note_add(participant=member, session=session, text="Night buses")
    assert guest.pk
    rows = ParticipationEvent.objects.order_by("id")
    assert [(e.kind, e.object_id, e.agency_id, e.challenge_id) for e in rows] == [
        (kinds.SESSION_JOINED, session.pk, challenge.agency_id, challenge.pk),
        (kinds.SESSION_JOINED, session.pk, challenge.agency_id, challenge.pk),
        (kinds.NOTE_ADDED, note.pk, challenge.agency_id, challenge.pk),
    ]
    assert rows[0].participant == participant_key(user.pk) and rows[1].participant == ""


def test_replaying_the_challenge_link_counts_each_visitor_once_a_day(
    client, django_capture_on_commit_callbacks
):
    """Insight counts people, not requests: an anonymous visitor replaying the link, then a
    signed-in one, then the same visitor the next day."""
    from datetime import date, timedelta
    from unittest import mock

    from django.test import Client

    from cms.tests.factories import make_home, make_index, make_service

    page = make_service(make_index(make_home()))
    challenge = ChallengeFactory()
    challenge.service_pages.set([page])
    url = f"{page.url}?from_challenge={challenge.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert client.get(url).status_code == 200
    assert ParticipationEvent.objects.count() == 1
    other = Client(HTTP_USER_AGENT="another browser")
    with django_capture_on_commit_callbacks(execute=True):
        other.get(url)
        other.get(url)
    assert ParticipationEvent.objects.count() == 2
    user, _persona = citizen()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
        client.get(url)
    assert ParticipationEvent.objects.count() == 3
    assert ParticipationEvent.objects.filter(participant=participant_key(user.pk)).count() == 1
    tomorrow = date.today() + timedelta(days=1)
    with (
        mock.patch("ideas.insight.services.timezone.localdate", return_value=tomorrow),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.get(url)
    assert ParticipationEvent.objects.count() == 4


def test_one_visit_per_visitor_page_and_day_is_a_database_constraint():
    from django.db import IntegrityError, transaction

    from ideas.insight.models import ServicePageVisit

    ServicePageVisit.objects.create(visitor="v", service_page_id=1, day="2026-01-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServicePageVisit.objects.create(visitor="v", service_page_id=1, day="2026-01-01")
    ServicePageVisit.objects.create(visitor="v", service_page_id=1, day="2026-01-02")
