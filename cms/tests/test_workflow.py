"""Editors' workflow: moderation (submit → approve → live), scheduled publishing, revisions."""

from __future__ import annotations

import datetime
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils import WagtailTestUtils

from cms.models import ServicePage
from cms.tests.factories import make_home, make_index, make_service
from cms.tests.test_pages import service_form_data
from community.tests.factories import OrganisationFactory, UserFactory

PHONE = ("phone", {"number": "0300 555 0104", "details": "", "hours": ""})


def member_of(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


class ModerationWorkflowTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)
        cls.agency = OrganisationFactory()
        cls.editor = member_of("Editors")
        cls.moderator = member_of("Moderators")

    def submit_as_editor(self) -> ServicePage:
        self.client.force_login(self.editor)
        data = service_form_data(agency=self.agency, channels=[PHONE])
        data["action-submit"] = "action-submit"
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["cms", "servicepage", self.index.pk]), data
        )
        self.assertEqual(response.status_code, 302)
        return ServicePage.objects.get(slug="sports-pitch")

    def test_an_editors_submission_waits_for_a_moderator(self):
        page = self.submit_as_editor()
        self.assertFalse(page.live)
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(self.client.get("/services/sports-pitch/").status_code, 404)

    def test_an_editor_cannot_publish_directly(self):
        self.client.force_login(self.editor)
        data = service_form_data(agency=self.agency, channels=[PHONE])
        data["action-publish"] = "action-publish"
        self.client.post(
            reverse("wagtailadmin_pages:add", args=["cms", "servicepage", self.index.pk]), data
        )
        page = ServicePage.objects.filter(slug="sports-pitch").first()
        self.assertTrue(page is None or not page.live)

    def test_a_moderators_approval_puts_the_page_live(self):
        page = self.submit_as_editor()
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
        self.client.force_login(self.moderator)
        response = self.client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[page.pk, "approve", state.current_task_state.pk],
            ),
            {"comment": "Looks right."},
        )
        self.assertLess(response.status_code, 400)
        page.refresh_from_db()
        self.assertTrue(page.live)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.client.logout()
        self.assertContains(self.client.get("/services/sports-pitch/"), "Book a sports pitch")

    def test_a_moderator_can_ask_for_changes_and_the_page_stays_offline(self):
        page = self.submit_as_editor()
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
        self.client.force_login(self.moderator)
        self.client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[page.pk, "reject", state.current_task_state.pk],
            ),
            {"comment": "Add opening hours."},
        )
        page.refresh_from_db()
        self.assertFalse(page.live)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)


class ScheduledPublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.index = make_index(cls.home)

    def test_a_scheduled_service_goes_live_when_publish_scheduled_runs_after_its_time(self):
        page = make_service(self.index, publish=False, slug="winter-gritting")
        page.go_live_at = timezone.now() + datetime.timedelta(days=1)
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        self.assertFalse(page.live)
        self.assertEqual(self.client.get("/services/winter-gritting/").status_code, 404)

        call_command("publish_scheduled")
        page.refresh_from_db()
        self.assertFalse(page.live, "must not publish before its time")

        self.assertIsNotNone(Revision.objects.get(pk=revision.pk).approved_go_live_at)
        # Two days later (the clock is moved, not waited for), the scheduled run publishes it.
        later = timezone.now() + datetime.timedelta(days=2)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled")
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assertEqual(self.client.get("/services/winter-gritting/").status_code, 200)

    def test_revisions_keep_earlier_versions_that_can_be_restored(self):
        page = make_service(self.index, summary="First summary.")
        first = page.latest_revision
        page.summary = "Second summary."
        page.save_revision().publish()
        restored = first.as_object()
        self.assertEqual(restored.summary, "First summary.")
        restored.save_revision().publish()
        page.refresh_from_db()
        self.assertEqual(page.summary, "First summary.")
