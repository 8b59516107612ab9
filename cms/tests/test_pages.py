"""Page types: where each can be created, and that each renders (WagtailPageTestCase)."""

from __future__ import annotations

import datetime

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    CampaignPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from cms.tests.factories import BrandValueFactory, make_home, make_index, make_service
from community.tests.factories import OrganisationFactory


def service_form_data(*, agency, channels, **overrides) -> dict:
    """POST data for the service page editor (StreamFields and inlines in Wagtail's format)."""
    data = {
        "title": "Book a sports pitch",
        "slug": "sports-pitch",
        "summary": "Hire a football or cricket pitch in a city park.",
        "body": rich_text("<p>Pitches can be booked a month ahead.</p>"),
        "audience": rich_text(""),
        "eligibility": rich_text(""),
        "steps": streamfield([]),
        "channels": streamfield(channels),
        "responsible_agency": agency.pk if agency else "",
        "related_service_links": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_and_holds_the_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        from ideas.research.models import SurveyPage

        self.assertAllowedSubpageTypes(
            HomePage, {ServiceIndexPage, StandardPage, NewsIndexPage, CampaignPage, SurveyPage}
        )

    def test_service_pages_live_only_in_the_service_index(self):
        self.assertCanCreateAt(ServiceIndexPage, ServicePage)
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServicePage, set())
        self.assertCanNotCreateAt(HomePage, ServicePage)
        self.assertCanNotCreateAt(StandardPage, ServicePage)

    def test_news_stories_live_only_in_the_news_index(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertCanNotCreateAt(HomePage, NewsPage)

    def test_standard_pages_nest_and_campaigns_sit_under_home(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedParentPageTypes(CampaignPage, {HomePage})
        self.assertAllowedParentPageTypes(ServiceIndexPage, {HomePage})

    def test_only_one_service_index_per_home(self):
        home = make_home()
        make_index(home)
        self.assertFalse(ServiceIndexPage.can_create_at(home))


class PageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)
        cls.agency = OrganisationFactory(name="Parks and Environment")
        cls.service = make_service(
            cls.index, title="Report a missed bin", agency=cls.agency, slug="missed-bin"
        )
        cls.news_index = cls.home.add_child(
            instance=NewsIndexPage(title="You said, we did", slug="news")
        )
        cls.story = cls.news_index.add_child(
            instance=NewsPage(
                title="Bin reminders by text",
                slug="bin-reminders",
                date=datetime.date(2026, 9, 1),
                summary="Now we text you.",
                you_said="<p>Bin days were confusing.</p>",
                we_did="<p>We send a text the night before.</p>",
                changes=[
                    (
                        "link",
                        {
                            "title": "Backlog item: bin reminders",
                            "url": "https://civic.example/roadmap/items/42/",
                            "description": "",
                        },
                    )
                ],
            )
        )
        cls.campaign = cls.home.add_child(
            instance=CampaignPage(
                title="Free bins",
                slug="free-bins",
                hero_title="Never miss a bin day",
                service=cls.service,
            )
        )
        cls.campaign.brand_values = [BrandValueFactory(statement="We call you back")]
        cls.campaign.save()
        cls.standard = cls.home.add_child(
            instance=StandardPage(title="About", slug="about", body="<p>About us.</p>")
        )

    def test_every_page_type_renders(self):
        for page in (
            self.home,
            self.index,
            self.service,
            self.news_index,
            self.story,
            self.campaign,
            self.standard,
        ):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)

    def test_pages_without_streamfields_round_trip_through_the_editor(self):
        # assertPageIsEditable re-posts the form scraped from HTML, which cannot carry
        # StreamField data (rendered by JS); those pages are covered by the tests below.
        for page in (self.home, self.index, self.standard, self.news_index):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsEditable(page)

    def test_every_page_type_opens_in_the_editor(self):
        self.login()
        for page in (self.service, self.story, self.campaign):
            with self.subTest(page=type(page).__name__):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertEqual(response.status_code, 200)

    def test_service_page_previews(self):
        self.assertPageIsPreviewable(
            self.service,
            post_data=service_form_data(
                agency=self.agency,
                channels=[("phone", {"number": "0300 555 0104", "details": "", "hours": ""})],
            ),
        )

    def test_news_story_links_to_what_changed(self):
        response = self.client.get(self.story.url)
        self.assertContains(response, "https://civic.example/roadmap/items/42/")
        self.assertContains(response, "Backlog item: bin reminders")

    def test_campaign_sends_people_to_its_service_and_states_its_promise(self):
        response = self.client.get(self.campaign.url)
        self.assertContains(response, f'href="{self.service.url}"')
        self.assertContains(response, "We call you back")


class EditorCreatesServiceTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)
        cls.agency = OrganisationFactory()

    def setUp(self):
        self.login()

    def test_editor_can_create_and_publish_a_service_with_a_channel(self):
        self.assertCanCreate(
            self.index,
            ServicePage,
            service_form_data(
                agency=self.agency,
                channels=[("phone", {"number": "0300 555 0104", "details": "", "hours": ""})],
            ),
        )
        page = ServicePage.objects.get(slug="sports-pitch")
        self.assertTrue(page.live)
        self.assertEqual(page.responsible_agency, self.agency)
