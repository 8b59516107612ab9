"""Sending a campaign page from the CMS: its editors only, in each reader's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Locale

from cms.models import CampaignPage
from cms.outreach import campaign_content
from cms.tests.factories import make_home, make_index, make_service
from community.actions.follows import follow
from community.models import NotificationPreference, Role
from community.outreach.categories import CAMPAIGNS
from community.tests.factories import OrganisationFactory, staff
from ideas.tests.factories import ChallengeFactory, citizen

pytestmark = pytest.mark.django_db


def campaign_world():
    agency = OrganisationFactory()
    home = make_home()
    service = make_service(make_index(home), agency=agency)
    page = home.add_child(
        instance=CampaignPage(
            title="Free bus travel from 66",
            slug="free-bus",
            hero_title="Your city. Your ride.",
            hero_text="Free after 9:30am.",
            service=service,
        )
    )
    page.save_revision().publish()
    spanish = Locale.objects.get_or_create(language_code="es")[0]
    home.copy_for_translation(spanish).save_revision().publish()
    translated = page.copy_for_translation(spanish)
    translated.title = "Autobús gratis desde los 66"
    translated.hero_title = "Tu ciudad. Tu viaje."
    translated.save_revision().publish()
    return agency, page


def test_the_message_comes_from_the_page_and_its_live_translation():
    _agency, page = campaign_world()
    content = campaign_content(page)
    assert content["en"]["subject"] == "Free bus travel from 66"
    assert content["es"]["subject"] == "Autobús gratis desde los 66"
    assert "Tu ciudad. Tu viaje." in content["es"]["text"]


def test_an_editor_sends_the_campaign_page_and_sees_its_counts(django_capture_on_commit_callbacks):
    agency, page = campaign_world()
    challenge = ChallengeFactory(agency=agency)
    reader, _p = citizen(account__language="es")
    NotificationPreference.objects.create(user=reader, category=CAMPAIGNS, email=True)
    follow(user=reader, target=challenge)
    editor = staff(Role.EDITOR, agency)
    client = Client()
    client.force_login(editor)

    page_url = f"/campaigns/{page.pk}/send/"
    assert "1 person follows" in client.get(page_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url, {"by_email": "on"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [reader.email] and message.subject == "Autobús gratis desde los 66"
    html = client.get(page_url).content.decode()
    assert 'data-count="delivered">1<' in html

    again = client.post(page_url, {"by_email": "on"})  # a double click
    assert again.status_code == 400 and len(mail.outbox) == 1


def test_nobody_but_the_agencys_editors_may_open_the_send_page():
    _agency, page = campaign_world()
    client = Client()
    client.force_login(staff(Role.EDITOR, OrganisationFactory()))
    assert client.get(f"/campaigns/{page.pk}/send/").status_code == 403
