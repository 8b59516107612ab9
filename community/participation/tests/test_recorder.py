"""The recorder: after commit only, segments only with consent, failures never reach the user."""

from __future__ import annotations

import pytest
from django.db import transaction

from community import actions as community_actions
from community.exchange import actions as exchange_actions
from community.exchange.tests.conftest import agreed_exchange, make_post
from community.models import ConsentPurpose
from community.participation import privacy
from community.participation.kinds import EXCHANGE_COMPLETED, register_kind
from community.participation.models import ParticipationEvent, SegmentProfile
from community.participation.recorder import (
    participant_key,
    record_event,
    recording_channel,
)
from community.participation.tests.factories import consenting
from community.tests.factories import OrganisationFactory, PersonaFactory

pytestmark = pytest.mark.django_db


def test_an_event_is_written_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    user, _persona = consenting("25_34", "riverside")
    agency = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record_event(kind=EXCHANGE_COMPLETED, user=user, agency=agency, object_id=7)
        assert not ParticipationEvent.objects.exists()
    event = ParticipationEvent.objects.get()
    assert (event.kind, event.agency_id, event.object_id, event.channel) == (
        EXCHANGE_COMPLETED,
        agency.pk,
        7,
        "web",
    )
    assert event.participant == participant_key(user.pk)


def test_a_rolled_back_write_records_nothing(django_capture_on_commit_callbacks):
    user, _persona = consenting("25_34", "riverside")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                record_event(kind=EXCHANGE_COMPLETED, user=user)
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert not ParticipationEvent.objects.exists()


def test_consenting_citizens_events_carry_the_segments_they_share(
    django_capture_on_commit_callbacks,
):
    user, _persona = consenting("65_plus", "harbour")
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED, user=user)
    assert ParticipationEvent.objects.values_list("age_band", "area").get() == (
        "65_plus",
        "harbour",
    )


def test_non_consenting_citizens_events_carry_no_segment_even_with_a_profile(
    django_capture_on_commit_callbacks,
):
    persona = PersonaFactory()
    SegmentProfile.objects.create(user=persona.account, age_band="65_plus", area="harbour")
    withdrawn, _p = consenting("18_24", "riverside")
    community_actions.consent_set(
        user=withdrawn, purpose=ConsentPurpose.INSIGHT_STATISTICS, granted=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED, user=persona.account)
        record_event(kind=EXCHANGE_COMPLETED, user=withdrawn)
        record_event(kind=EXCHANGE_COMPLETED, user=None)
    rows = list(ParticipationEvent.objects.values_list("age_band", "area"))
    assert rows == [("", ""), ("", ""), ("", "")]


def test_withdrawing_consent_removes_segments_from_past_events(
    django_capture_on_commit_callbacks,
):
    user, _persona = consenting("35_49", "eastgate")
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED, user=user)
    community_actions.consent_set(
        user=user, purpose=ConsentPurpose.INSIGHT_STATISTICS, granted=False
    )
    assert ParticipationEvent.objects.values_list("age_band", "area").get() == ("", "")


def test_the_channel_comes_from_the_entry_point(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED)
        with recording_channel("sms"):
            record_event(kind=EXCHANGE_COMPLETED)
        record_event(kind=EXCHANGE_COMPLETED, channel="api")
    assert sorted(ParticipationEvent.objects.values_list("channel", flat=True)) == [
        "api",
        "sms",
        "web",
    ]


def test_unregistered_kinds_and_channels_are_refused_where_they_are_made():
    with pytest.raises(ValueError, match="unregistered"):
        record_event(kind="nobody.registered.this")
    with pytest.raises(ValueError, match="channel"):
        record_event(kind=EXCHANGE_COMPLETED, channel="pigeon")


def test_registering_a_kind_twice_with_another_group_is_an_error():
    register_kind("test.kind", "Test", group="tests")
    register_kind("test.kind", "Test", group="tests")
    with pytest.raises(ValueError):
        register_kind("test.kind", "Test", group="other")


def test_a_failing_write_is_logged_and_the_request_goes_on(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from community.participation import recorder

    def broken(batch):
        raise RuntimeError("database away")

    monkeypatch.setattr(recorder, "write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED)
    assert "could not be recorded" in caplog.text
    assert not ParticipationEvent.objects.exists()


def test_completing_an_exchange_records_one_platform_wide_event(
    django_capture_on_commit_callbacks,
):
    amara = PersonaFactory(display_name="Amara O.")
    joe = PersonaFactory(display_name="Joe B.")
    for p in (amara, joe):
        exchange_actions.safety_acknowledge(user=p.account)
    exchange = agreed_exchange(make_post(amara), joe, "1")
    with django_capture_on_commit_callbacks(execute=True):
        exchange_actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    assert not ParticipationEvent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        exchange_actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    event = ParticipationEvent.objects.get()
    assert (event.kind, event.agency_id, event.object_id) == (
        EXCHANGE_COMPLETED,
        None,
        exchange.pk,
    )


def test_deleting_the_account_erases_segments_and_unlinks_events(
    django_capture_on_commit_callbacks,
):
    user, _persona = consenting("35_49", "eastgate")
    with django_capture_on_commit_callbacks(execute=True):
        record_event(kind=EXCHANGE_COMPLETED, user=user)
    assert privacy.export_segments(user)[0]["area"] == "Eastgate"
    assert privacy.export_events(user)[0]["area"] == "eastgate"
    community_actions.account_delete(user=user)
    assert not SegmentProfile.objects.exists()
    assert ParticipationEvent.objects.values_list("participant", "age_band", "area").get() == (
        "",
        "",
        "",
    )
