"""Roles: memberships of organisations, mirrored into Django groups for the admin screens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from community import permissions
from community.models import Membership, Organisation, Role, User
from community.roles import sync_role_groups


def membership_grant(*, by: User, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` a role in ``organisation`` and the matching group.

    Only the organisation's agency admins (or superusers) may; staff roles exist only in
    agencies.
    """
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDenied(_("Only this organisation's administrators can change roles."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in permissions.STAFF_ROLES and organisation.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"role": _("Staff roles exist only in agencies.")})
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        sync_role_groups(user)
    return membership


def membership_revoke(*, by: User, membership: Membership) -> None:
    if not permissions.can_manage_members(by, membership.organisation):
        raise PermissionDenied(_("Only this organisation's administrators can change roles."))
    user = membership.user
    with transaction.atomic():
        membership.delete()
        sync_role_groups(user)
