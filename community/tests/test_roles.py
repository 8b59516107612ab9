"""Each role's permissions: scoped decisions via memberships, model permissions via groups."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from community import permissions as perms
from community.actions import membership_grant, membership_revoke
from community.models import Role
from community.roles import CITIZEN_GROUP, ROLE_GROUPS, sync_role_groups
from community.tests.factories import (
    IntermediaryFactory,
    OrganisationFactory,
    PersonaFactory,
    UserFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def transport():
    return OrganisationFactory(name="Transport", slug="transport")


@pytest.fixture
def housing():
    return OrganisationFactory(name="Housing", slug="housing")


def test_every_role_has_a_group_assignable_in_the_admin():
    names = set(Group.objects.values_list("name", flat=True))
    assert {CITIZEN_GROUP, *ROLE_GROUPS.values()} <= names


def _group_perms(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_group_permissions_match_each_job():
    assert _group_perms("Citizen") == set()
    assert "community.reveal_account" in _group_perms("Moderator")
    assert "wagtailadmin.access_admin" not in _group_perms("Moderator")
    assert "wagtailadmin.access_admin" not in _group_perms("Service designer")
    assert "wagtailadmin.access_admin" in _group_perms("Editor")
    assert "community.reveal_account" not in _group_perms("Editor")
    assert {"wagtailadmin.access_admin", "community.reveal_account"} <= _group_perms("Agency admin")
    editor_pages = Group.objects.get(name="Editor").page_permissions.values_list(
        "permission__codename", flat=True
    )
    admin_pages = Group.objects.get(name="Agency admin").page_permissions.values_list(
        "permission__codename", flat=True
    )
    assert "publish_page" not in set(editor_pages)
    assert "publish_page" in set(admin_pages)


def test_citizen_has_no_staff_powers(transport):
    citizen = UserFactory()
    assert not perms.is_public_servant(citizen)
    assert not perms.can_moderate(citizen, transport)
    assert not perms.can_design(citizen, transport)
    assert not perms.can_edit_pages(citizen)
    assert not perms.can_reveal_account(citizen, transport)
    assert perms.can_contribute(citizen)


def test_moderator_moderates_only_their_own_agency(transport, housing):
    moderator = staff(Role.MODERATOR, transport)
    assert perms.can_moderate(moderator, transport)
    assert perms.can_reveal_account(moderator, transport)
    assert not perms.can_moderate(moderator, housing)
    assert not perms.can_reveal_account(moderator, housing)
    assert not perms.can_design(moderator, transport)
    assert not perms.can_manage_members(moderator, transport)


def test_service_designer_designs_for_their_agency_only(transport, housing):
    designer = staff(Role.SERVICE_DESIGNER, transport)
    assert perms.can_design(designer, transport)
    assert not perms.can_design(designer, housing)
    assert not perms.can_moderate(designer, transport)


def test_editor_edits_pages_but_does_not_moderate(transport):
    editor = staff(Role.EDITOR, transport)
    assert perms.can_edit_pages(editor, transport)
    assert not perms.can_moderate(editor, transport)


def test_agency_admin_holds_every_staff_role_in_their_agency_only(transport, housing):
    admin = staff(Role.AGENCY_ADMIN, transport)
    for check in (perms.can_moderate, perms.can_design, perms.can_edit_pages):
        assert check(admin, transport)
        assert not check(admin, housing)
    assert perms.can_manage_members(admin, transport)
    assert not perms.can_manage_members(admin, housing)


def test_inactive_staff_lose_every_power(transport):
    moderator = staff(Role.MODERATOR, transport)
    moderator.is_active = False
    assert not perms.can_moderate(moderator, transport)


def test_granting_a_role_adds_its_group_and_revoking_removes_it(transport):
    admin = staff(Role.AGENCY_ADMIN, transport)
    person = UserFactory()
    membership = membership_grant(by=admin, user=person, organisation=transport, role=Role.EDITOR)
    assert set(person.groups.values_list("name", flat=True)) == {"Citizen", "Editor"}
    assert person.has_perm("wagtailadmin.access_admin")
    membership_revoke(by=admin, membership=membership)
    person = type(person).objects.get(pk=person.pk)
    assert set(person.groups.values_list("name", flat=True)) == {"Citizen"}
    assert not person.has_perm("wagtailadmin.access_admin")


def test_only_that_agencys_admin_may_grant_roles(transport, housing):
    other_admin = staff(Role.AGENCY_ADMIN, housing)
    with pytest.raises(PermissionDenied):
        membership_grant(
            by=other_admin, user=UserFactory(), organisation=transport, role=Role.MODERATOR
        )


def test_staff_roles_exist_only_in_agencies():
    group = IntermediaryFactory()
    admin = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError):
        membership_grant(by=admin, user=UserFactory(), organisation=group, role=Role.MODERATOR)


def test_editor_reaches_the_wagtail_admin_and_a_citizen_does_not(client, transport):
    editor = staff(Role.EDITOR, transport)
    sync_role_groups(editor)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302


def test_a_persona_can_only_speak_for_an_organisation_its_account_belongs_to(transport):
    member = staff(Role.MODERATOR, transport)
    outsider = UserFactory()
    assert perms.can_speak_for(member, transport)
    assert not perms.can_speak_for(outsider, transport)
    persona = PersonaFactory(account=outsider)
    assert perms.can_act_as(outsider, persona)
    assert not perms.can_act_as(member, persona)
