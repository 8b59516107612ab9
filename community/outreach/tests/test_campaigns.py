"""Campaign sends: consent, exactly once (a killed worker included), language, counts,
one-click unsubscribe, texts. The audience here is registered by the test, so these tests
prove the mechanism without any other app."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from community.models import NotificationPreference, Role
from community.outreach import registry, services, tasks
from community.outreach.categories import CAMPAIGNS
from community.outreach.links import unsubscribe_token
from community.outreach.models import Campaign, Delivery
from community.outreach.selectors import campaign_counts
from community.privacy import build_export, erasers
from community.sms.tests.factories import PhoneNumberFactory
from community.tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

CONTENT = {
    "en": {
        "subject": "Free bus travel from 66",
        "text": "Your pass while you wait.",
        "url": "/bus/",
    },
    "es": {
        "subject": "Autobús gratis desde los 66",
        "text": "Tu pase al momento.",
        "url": "/es/bus/",
    },
}


@pytest.fixture
def audience(monkeypatch):
    """An audience source the test controls: agency id → account ids."""
    members: dict[int, set[int]] = {}
    monkeypatch.setattr(
        registry, "_audiences", {"test": lambda agency: members.get(agency.pk, set())}
    )
    return members


def consenting(**kwargs):
    user = UserFactory(**kwargs)
    NotificationPreference.objects.create(user=user, category=CAMPAIGNS, email=True)
    return user


def send(agency, editor, django_capture_on_commit_callbacks, **kwargs) -> Campaign:
    """Ask for a send; run its task (the on-commit enqueue) unless ``run=False``."""
    run = kwargs.pop("run", True)
    with django_capture_on_commit_callbacks(execute=run):
        return services.campaign_send(
            user=editor,
            agency=agency,
            source=kwargs.pop("source", "test:1"),
            title="Free bus travel",
            content=kwargs.pop("content", CONTENT),
            **kwargs,
        )


def recipients() -> list[str]:
    return sorted(address for m in mail.outbox for address in m.to)


def test_a_campaign_reaches_only_people_who_follow_and_consented(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    editor = staff(Role.EDITOR, agency)
    yes = consenting()
    not_asked = UserFactory()  # follows, but never opted in to campaigns
    elsewhere = consenting()  # opted in, follows nothing of this agency
    refused = UserFactory()
    NotificationPreference.objects.create(user=refused, category=CAMPAIGNS, email=False)
    audience[agency.pk] = {yes.pk, not_asked.pk, refused.pk}
    audience[OrganisationFactory().pk] = {elsewhere.pk}

    campaign = send(agency, editor, django_capture_on_commit_callbacks)

    assert recipients() == [yes.email]
    assert tasks.campaign_deliver(campaign_id=campaign.pk) == 0  # a second run sends nothing
    assert recipients() == [yes.email]
    assert Campaign.objects.get().finished_at is not None


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs in this process."""


def test_a_worker_killed_mid_send_then_rerun_sends_everyone_exactly_once(
    audience, monkeypatch, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    people = [consenting() for _ in range(6)]
    audience[agency.pk] = {p.pk for p in people}
    campaign = send(
        agency, staff(Role.EDITOR, agency), django_capture_on_commit_callbacks, run=False
    )

    real_send = tasks._email_campaign
    calls = {"n": 0}

    def dies_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real_send(*args, **kwargs)

    monkeypatch.setattr(tasks, "_email_campaign", dies_on_third)
    with pytest.raises(WorkerKilled):
        tasks.campaign_deliver(campaign_id=campaign.pk)
    assert len(mail.outbox) == 2
    # The copy that was being sent when the worker died is still owed, not marked sent.
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == 4

    monkeypatch.setattr(tasks, "_email_campaign", real_send)
    assert tasks.campaign_deliver(campaign_id=campaign.pk) == 4
    assert tasks.campaign_deliver(campaign_id=campaign.pk) == 0
    assert recipients() == sorted(p.email for p in people)  # nobody twice, nobody skipped


def test_consent_withdrawn_before_a_persons_copy_goes_means_no_copy(
    audience, monkeypatch, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    first, second, third = consenting(), consenting(), consenting()
    audience[agency.pk] = {first.pk, second.pk, third.pk}
    # Withdrawn after the editor pressed send, before the worker ran.
    campaign = send(
        agency, staff(Role.EDITOR, agency), django_capture_on_commit_callbacks, run=False
    )
    NotificationPreference.objects.filter(user=first).update(email=False)
    real_send = tasks._email_campaign

    def dies_after_one(delivery, user, *args):
        real_send(delivery, user, *args)
        raise WorkerKilled

    monkeypatch.setattr(tasks, "_email_campaign", dies_after_one)
    with pytest.raises(WorkerKilled):
        tasks.campaign_deliver(campaign_id=campaign.pk)
    # Between the runs the next person withdraws too: their queued copy is not sent.
    sent_to = {m.to[0] for m in mail.outbox}
    later = second if second.email not in sent_to else third
    NotificationPreference.objects.filter(user=later).update(email=False)
    mail.outbox.clear()
    monkeypatch.setattr(tasks, "_email_campaign", real_send)
    tasks.campaign_deliver(campaign_id=campaign.pk)

    assert later.email not in recipients()
    assert first.email not in recipients()
    assert Delivery.objects.filter(user=later, state=Delivery.State.SKIPPED).exists()


def test_each_person_gets_the_campaign_in_their_language(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    spanish, english, french = consenting(language="es"), consenting(), consenting(language="fr")
    audience[agency.pk] = {spanish.pk, english.pk, french.pk}

    send(agency, staff(Role.EDITOR, agency), django_capture_on_commit_callbacks)

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[spanish.email] == "Autobús gratis desde los 66"
    assert subjects[english.email] == "Free bus travel from 66"
    assert subjects[french.email] == "Free bus travel from 66"  # no French page: the main one
    spanish_body = next(m.body for m in mail.outbox if m.to == [spanish.email])
    assert "Tu pase al momento." in spanish_body
    assert "/outreach/unsubscribe/" in spanish_body


def _links(message) -> tuple[str, str]:
    html = message.alternatives[0][0] if message.alternatives else ""
    click = next(w for w in message.body.split() if "/outreach/c/" in w)
    pixel = html.split('<img src="', 1)[1].split('"', 1)[0]
    return click, pixel


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_counts_say_how_many_were_delivered_opened_and_clicked(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    people = [consenting() for _ in range(3)]
    audience[agency.pk] = {p.pk for p in people}
    campaign = send(agency, staff(Role.EDITOR, agency), django_capture_on_commit_callbacks)
    client = Client()
    first, second, _third = mail.outbox
    click, pixel = _links(first)
    assert client.get(_path(pixel))["Content-Type"] == "image/gif"
    client.get(_path(pixel))  # opening twice counts once
    response = client.get(_path(click))
    assert response.status_code == 302 and response["Location"].endswith("/bus/")
    second_click, _pixel = _links(second)
    tampered = _path(second_click).replace("/outreach/c/", "/outreach/c/x")
    assert client.get(tampered)["Location"] == "/"  # an altered link counts nothing

    [counts] = campaign_counts([campaign])
    assert (counts.delivered, counts.opened, counts.clicked) == (3, 1, 1)


def test_every_campaign_email_offers_one_click_unsubscribe_that_works_without_sign_in(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    editor = staff(Role.EDITOR, agency)
    person = consenting()
    audience[agency.pk] = {person.pk}
    send(agency, editor, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and "/outreach/unsubscribe/" in link

    client = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF token
    assert client.get(_path(link)).status_code == 200  # the page asks; a GET changes nothing
    assert NotificationPreference.objects.get(user=person, category=CAMPAIGNS).email is True
    response = client.post(_path(link), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=person, category=CAMPAIGNS).email is False

    mail.outbox.clear()
    send(agency, editor, django_capture_on_commit_callbacks, source="test:2")
    assert mail.outbox == []  # unsubscribed before the next send: not sent


def test_an_unsubscribe_link_with_a_bad_signature_changes_nothing(audience):
    person = consenting()
    good = unsubscribe_token(person.pk, CAMPAIGNS)
    client = Client(enforce_csrf_checks=True)
    for bad in (good[:-2] + "xx", unsubscribe_token(person.pk, "account"), "nonsense"):
        response = client.post(f"/outreach/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert NotificationPreference.objects.get(user=person, category=CAMPAIGNS).email is True
    assert NotificationPreference.objects.filter(user=person).count() == 1


def test_only_the_agencys_editors_send_and_a_double_send_is_refused(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        send(agency, UserFactory(), django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        send(agency, staff(Role.EDITOR, OrganisationFactory()), django_capture_on_commit_callbacks)
    editor = staff(Role.EDITOR, agency)
    send(agency, editor, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        send(agency, editor, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        send(agency, editor, django_capture_on_commit_callbacks, source="t:3", content={})
    assert Campaign.objects.count() == 1


def test_texts_go_to_confirmed_numbers_that_asked_for_texts_and_never_after_stop(
    audience, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from community.sms import gateways

    settings.SMS = {**settings.SMS, "PROVIDER": "console"}
    gateways.outbox.clear()
    agency = OrganisationFactory()
    texts = PhoneNumberFactory(user=consenting(), notify_by_text=True)
    stopped = PhoneNumberFactory(user=consenting(), notify_by_text=True, stopped_at=timezone.now())
    no_texts = PhoneNumberFactory(user=consenting(), notify_by_text=False)
    audience[agency.pk] = {texts.user_id, stopped.user_id, no_texts.user_id}

    send(
        agency,
        staff(Role.EDITOR, agency),
        django_capture_on_commit_callbacks,
        by_email=False,
        by_text=True,
    )
    tasks.campaign_deliver(campaign_id=Campaign.objects.get().pk)

    assert [t["to"] for t in gateways.outbox] == [texts.number]
    assert "STOP" in gateways.outbox[0]["body"]
    assert mail.outbox == []
    gateways.outbox.clear()


def test_a_persons_deliveries_are_in_their_export_and_leave_with_them(
    audience, django_capture_on_commit_callbacks
):
    agency = OrganisationFactory()
    person = consenting()
    audience[agency.pk] = {person.pk}
    campaign = send(agency, staff(Role.EDITOR, agency), django_capture_on_commit_callbacks)

    export = build_export(person)["sections"]["outreach_campaigns"]["items"]
    assert [item["campaign"] for item in export] == ["Free bus travel from 66"]
    for erase in erasers():
        erase(person)
    assert not Delivery.objects.filter(user=person).exists()
    [counts] = campaign_counts([campaign])
    assert counts.delivered == 1  # the count stays true without the person


def test_campaign_counts_take_one_query_however_many_campaigns(audience, django_assert_num_queries):
    agency = OrganisationFactory()
    campaigns = [
        Campaign.objects.create(agency=agency, source=f"s:{i}", title="t", content=CONTENT)
        for i in range(4)
    ]
    with django_assert_num_queries(1):
        campaign_counts(campaigns)
    assert settings.LANGUAGE_CODE == "en"
