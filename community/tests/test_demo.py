"""The demo people: citizens with two personas, staff of every role, idempotent."""

import pytest
from django.core.management import call_command

from community.models import Consent, Membership, Notification, Persona, Role, User

pytestmark = pytest.mark.django_db


def _counts():
    return (
        User.objects.count(),
        Persona.objects.count(),
        Membership.objects.count(),
        Consent.objects.count(),
        Notification.objects.count(),
    )


def test_demo_has_citizens_with_two_personas_and_staff_of_each_role_and_runs_twice():
    call_command("seed_demo", quiet=True)
    first = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == first
    citizen = User.objects.get(email="citizen@northvale.example")
    assert citizen.personas.count() == 2
    assert citizen.consents.filter(granted=True).exists()
    held = set(Membership.objects.values_list("role", flat=True))
    assert {Role.MODERATOR, Role.SERVICE_DESIGNER, Role.EDITOR, Role.AGENCY_ADMIN} <= held
    editor = User.objects.get(email="editor@northvale.example")
    assert editor.groups.filter(name="Editor").exists()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert citizen.access_log.exists()
