"""Service pages: publishing rules, protected agencies, what visitors see, query counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page, ReferenceIndex
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset

from cms.blocks import NO_CHANNEL_MESSAGE
from cms.models import ServicePage, ServicePageRelatedService
from cms.tests.factories import (
    BrandValueFactory,
    LifeEventFactory,
    make_home,
    make_index,
    make_service,
)
from cms.tests.test_pages import service_form_data
from community.models import Organisation
from community.tests.factories import IntermediaryFactory, OrganisationFactory

PHONE = ("phone", {"number": "0300 555 0104", "details": "", "hours": ""})


class PublishingRulesTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)
        cls.agency = OrganisationFactory()

    def setUp(self):
        self.login()
        self.add_url = f"/admin/pages/add/cms/servicepage/{self.index.pk}/"

    def test_publishing_a_service_without_channels_is_refused_with_a_clear_message(self):
        data = service_form_data(agency=self.agency, channels=[])
        data["action-publish"] = "action-publish"
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(NO_CHANNEL_MESSAGE)[:60])
        self.assertFalse(ServicePage.objects.filter(slug="sports-pitch").exists())

    def test_submitting_a_service_without_channels_for_moderation_is_refused(self):
        data = service_form_data(agency=self.agency, channels=[])
        data["action-submit"] = "action-submit"
        response = self.client.post(self.add_url, data)
        self.assertContains(response, str(NO_CHANNEL_MESSAGE)[:60])
        self.assertFalse(ServicePage.objects.filter(slug="sports-pitch").exists())

    def test_a_draft_without_channels_or_agency_can_be_saved(self):
        response = self.client.post(self.add_url, service_form_data(agency=None, channels=[]))
        self.assertEqual(response.status_code, 302)
        page = ServicePage.objects.get(slug="sports-pitch")
        self.assertFalse(page.live)

    def test_removing_the_last_channel_from_a_live_service_cannot_be_published(self):
        page = make_service(self.index, agency=self.agency, slug="sports-pitch")
        data = service_form_data(agency=self.agency, channels=[])
        data["action-publish"] = "action-publish"
        response = self.client.post(f"/admin/pages/{page.pk}/edit/", data)
        self.assertContains(response, str(NO_CHANNEL_MESSAGE)[:60])
        page.refresh_from_db()
        self.assertEqual(len(page.channels), 1)
        self.assertTrue(page.live)

    def test_publishing_without_a_responsible_agency_is_refused(self):
        data = service_form_data(agency=None, channels=[PHONE])
        data["action-publish"] = "action-publish"
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertFormError(
            response.context["form"], "responsible_agency", "This field is required."
        )

    def test_an_intermediary_cannot_be_the_responsible_agency(self):
        data = service_form_data(agency=IntermediaryFactory(), channels=[PHONE])
        data["action-publish"] = "action-publish"
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("responsible_agency", response.context["form"].errors)
        self.assertFalse(ServicePage.objects.filter(slug="sports-pitch").exists())

    def test_a_phone_channel_needs_a_real_phone_number(self):
        data = service_form_data(
            agency=self.agency,
            channels=[("phone", {"number": "call us!", "details": "", "hours": ""})],
        )
        data["action-publish"] = "action-publish"
        response = self.client.post(self.add_url, data)
        self.assertContains(response, "Enter a phone number using digits")
        self.assertFalse(ServicePage.objects.filter(slug="sports-pitch").exists())

    def test_publishing_in_code_without_channels_is_refused_too(self):
        page = make_service(self.index, agency=self.agency, channels=[], publish=False)
        with self.assertRaises(ValidationError):
            page.save_revision().publish()
        page.refresh_from_db()
        self.assertFalse(page.live)


def agency_admin_url(view: str, *args) -> str:
    return reverse(Organisation.snippet_viewset.get_url_name(view), args=args)


class AgencyDeletionTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)
        cls.agency = OrganisationFactory(name="Northvale Transport")
        cls.page = make_service(cls.index, agency=cls.agency, title="Report a pothole")

    def setUp(self):
        self.login()
        self.delete_url = agency_admin_url("delete", self.agency.pk)

    def test_deleting_an_agency_that_runs_a_service_is_refused_in_the_database(self):
        with self.assertRaises(ProtectedError):
            self.agency.delete()

    def test_the_delete_screen_says_the_agency_is_still_in_use(self):
        response = self.client.get(self.delete_url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "prevent it from being deleted")

    def test_confirming_the_delete_changes_nothing(self):
        response = self.client.post(self.delete_url)
        self.assertIn(response.status_code, (302, 403))
        self.assertTrue(Organisation.objects.filter(pk=self.agency.pk).exists())
        self.assertTrue(Page.objects.filter(pk=self.page.pk).exists())

    def test_when_the_reference_index_misses_a_page_the_editor_gets_a_message(self):
        ReferenceIndex.objects.all().delete()
        response = self.client.post(self.delete_url, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "cannot be deleted")
        self.assertContains(response, "Report a pothole")
        self.assertTrue(Organisation.objects.filter(pk=self.agency.pk).exists())

    def test_an_agency_without_services_can_be_deleted(self):
        spare = OrganisationFactory()
        response = self.client.post(agency_admin_url("delete", spare.pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Organisation.objects.filter(pk=spare.pk).exists())

    def test_the_agency_listing_shows_agencies_but_not_intermediaries(self):
        IntermediaryFactory(name="Riverside Neighbours")
        response = self.client.get(agency_admin_url("list"))
        self.assertContains(response, "Northvale Transport")
        self.assertNotContains(response, "Riverside Neighbours")


@pytest.mark.django_db
class TestServicePageForVisitors:
    def test_shows_channels_as_definition_lists_with_hours(self, client, index):
        page = make_service(
            index,
            channels=[
                (
                    "phone",
                    {"number": "0300 555 0104", "details": "Ask for bins.", "hours": "9 to 5"},
                ),
                (
                    "in_person",
                    {
                        "place": "City Hall",
                        "address": "1 Market Square",
                        "access": "Step-free",
                        "details": "",
                        "hours": "Weekdays",
                    },
                ),
            ],
        )
        html = client.get(page.url).content.decode()
        assert '<dl class="channel__details">' in html
        assert 'href="tel:03005550104"' in html
        assert "9 to 5" in html
        assert "1 Market Square" in html
        assert "style=" not in html
        assert html.count("<h1") == 1

    def test_shows_agencies_brand_values_life_events_and_related_services(self, client, index):
        lead = OrganisationFactory(name="Housing and Planning", phone="0300 555 0102")
        partner = OrganisationFactory(name="Health and Wellbeing")
        other = make_service(index, title="Get help if you are homeless")
        page = make_service(
            index,
            agency=lead,
            partners=[partner],
            life_events=[LifeEventFactory(name="Moving home")],
            brand_values=[BrandValueFactory(statement="One visit, not three")],
        )
        ServicePageRelatedService.objects.create(page=page, service=other)
        html = client.get(page.url).content.decode()
        for text in (
            "Housing and Planning",
            "Health and Wellbeing",
            "Moving home",
            "One visit, not three",
            "Get help if you are homeless",
        ):
            assert text in html

    def test_improve_panel_says_honestly_that_no_challenge_is_open(self, client, index):
        page = make_service(index)
        html = client.get(page.url).content.decode()
        assert "Help improve this service" in html
        assert "There is no open challenge about this service right now." in html

    def test_improve_panel_shows_the_linked_challenges_and_their_latest_ideas(self, client, index):
        from ideas.tests.factories import ChallengeFactory, IdeaFactory

        page = make_service(index)
        challenge = ChallengeFactory(question="How might we make renewals quicker?")
        challenge.service_pages.add(page)
        IdeaFactory(challenge=challenge, title="Renew by text message")
        html = client.get(page.url).content.decode()
        assert "How might we make renewals quicker?" in html
        assert "Renew by text message" in html

    def test_a_draft_service_is_not_public(self, client, index):
        page = make_service(index, publish=False)
        assert client.get(f"/services/{page.slug}/").status_code == 404


def _service_with(index, count: int) -> ServicePage:
    related = [make_service(index) for _ in range(count)]
    page = make_service(
        index,
        partners=[OrganisationFactory() for _ in range(count)],
        life_events=[LifeEventFactory() for _ in range(count)],
        brand_values=[BrandValueFactory() for _ in range(count)],
    )
    for order, other in enumerate(related):
        ServicePageRelatedService.objects.create(page=page, service=other, sort_order=order)
    return page


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_service_page_queries_do_not_grow_with_linked_challenges(client, index):
    from ideas.tests.factories import ChallengeFactory, IdeaFactory

    page = make_service(index)

    def link(count: int) -> None:
        for _ in range(count):
            challenge = ChallengeFactory()
            challenge.service_pages.add(page)
            IdeaFactory(challenge=challenge)

    link(1)
    few = _count_queries(client, page.url)
    link(5)
    many = _count_queries(client, page.url)
    assert few == many


@pytest.mark.django_db
def test_service_page_queries_do_not_grow_with_related_items(client, index):
    small = _service_with(index, 2)
    large = _service_with(index, 10)
    small_count = _count_queries(client, small.url)
    large_count = _count_queries(client, large.url)
    assert small_count == large_count
    assert small_count <= 20


@pytest.mark.django_db
def test_service_index_queries_do_not_grow_with_services(client, home):
    few_index = make_index(home)
    for _ in range(2):
        make_service(few_index, life_events=[LifeEventFactory()], partners=[OrganisationFactory()])
    few = _count_queries(client, few_index.url)
    for _ in range(8):
        make_service(few_index, life_events=[LifeEventFactory()], partners=[OrganisationFactory()])
    many = _count_queries(client, few_index.url)
    assert few == many
    assert few <= 24


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_featured_services(client, home):
    from cms.models import HomePageFeaturedService

    index = make_index(home)
    services = [make_service(index, life_events=[LifeEventFactory()]) for _ in range(6)]
    HomePageFeaturedService.objects.create(page=home, service=services[0])
    HomePageFeaturedService.objects.create(page=home, service=services[1])
    few = _count_queries(client, "/")
    for service in services[2:]:
        HomePageFeaturedService.objects.create(page=home, service=service)
    many = _count_queries(client, "/")
    assert few == many


class RelatedServicesEditorTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = make_index(make_home())
        cls.agency = OrganisationFactory()
        cls.other = make_service(cls.index, title="Register a birth")
        cls.page = make_service(cls.index, agency=cls.agency, slug="sports-pitch")

    def setUp(self):
        self.login()

    def post_links(self, *services):
        data = service_form_data(
            agency=self.agency,
            channels=[PHONE],
            related_service_links=inline_formset([{"service": s.pk} for s in services]),
        )
        data["action-publish"] = "action-publish"
        return self.client.post(f"/admin/pages/{self.page.pk}/edit/", data)

    def test_a_service_cannot_be_related_to_itself(self):
        response = self.post_links(self.page)
        self.assertContains(response, "A service cannot be related to itself.")
        self.assertFalse(ServicePageRelatedService.objects.filter(page=self.page).exists())

    def test_the_same_related_service_twice_is_refused_with_a_message(self):
        response = self.post_links(self.other, self.other)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "duplicate")

    def test_related_services_are_saved_when_valid(self):
        response = self.post_links(self.other)
        self.assertEqual(response.status_code, 302)
        links = ServicePageRelatedService.objects.filter(page=self.page)
        self.assertEqual([link.service_id for link in links], [self.other.pk])
