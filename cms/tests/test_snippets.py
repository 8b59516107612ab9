"""Service directory snippets in the Wagtail admin: agencies, life events, brand values."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from cms.models import BrandValue, LifeEvent
from community.models import Organisation
from community.tests.factories import UserFactory


def admin_url(model, view: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


class SnippetAdminTests(WagtailTestUtils, TestCase):
    def setUp(self):
        self.editor = UserFactory(is_staff=True)
        self.editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(self.editor)

    def test_editors_can_add_an_agency_and_it_is_an_agency(self):
        response = self.client.post(
            admin_url(Organisation, "add"),
            {
                "name": "Libraries and Culture",
                "slug": "libraries-culture",
                "description": "Libraries, museums and the city archive.",
                "contact_email": "libraries@northvale.example",
                "phone": "0300 555 0106",
                "website": "",
                "logo": "",
                "is_active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        agency = Organisation.objects.get(slug="libraries-culture")
        self.assertEqual(agency.kind, Organisation.Kind.AGENCY)

    def test_an_agency_needs_a_name(self):
        response = self.client.post(admin_url(Organisation, "add"), {"slug": "x", "name": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["form"], "name", "This field is required.")

    def test_editors_can_add_life_events_and_brand_values(self):
        self.client.post(
            admin_url(LifeEvent, "add"),
            {"name": "Caring for someone", "slug": "caring", "summary": ""},
        )
        self.client.post(
            admin_url(BrandValue, "add"),
            {"statement": "We call you back", "explanation": "Within one working day."},
        )
        self.assertTrue(LifeEvent.objects.filter(slug="caring").exists())
        self.assertTrue(BrandValue.objects.filter(statement="We call you back").exists())

    def test_a_life_event_slug_is_unique_within_a_language(self):
        LifeEvent.objects.create(name="Moving home", slug="moving-home")
        response = self.client.post(
            admin_url(LifeEvent, "add"), {"name": "Moving house", "slug": "moving-home"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Another life event already uses this slug.")
        self.assertEqual(LifeEvent.objects.filter(slug="moving-home").count(), 1)

    def test_editors_cannot_delete_agencies(self):
        agency = Organisation.objects.create(name="Spare agency", slug="spare")
        response = self.client.post(admin_url(Organisation, "delete", agency.pk))
        self.assertIn(response.status_code, (302, 403))
        self.assertTrue(Organisation.objects.filter(pk=agency.pk).exists())
