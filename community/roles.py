"""Roles as Django groups, kept in step with scoped memberships.

A role has two faces. :class:`community.models.Membership` says *where* a person holds it
(a moderator *of Transport*); it is what :mod:`community.permissions` reads for every scoped
decision. The matching Django group carries the model permissions the admin screens need
(Wagtail's ``access_admin`` for editors, ``community.reveal_account`` for moderators), so
an administrator can see and assign roles in the admin. :func:`sync_role_groups` derives group
membership from memberships; call it after changing memberships (the services and the admin
do).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from community.models import Role, User

CITIZEN_GROUP = "Citizen"

ROLE_GROUPS: dict[str, str] = {
    Role.MODERATOR: "Moderator",
    Role.SERVICE_DESIGNER: "Service designer",
    Role.EDITOR: "Editor",
    Role.AGENCY_ADMIN: "Agency admin",
}

# Model permissions per group ("app_label.codename"); created by migration 0004. Page and
# collection permissions for editors are copied from Wagtail's own "Editors" and
# "Moderators" groups there.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    CITIZEN_GROUP: [],
    "Moderator": [
        "community.view_persona",
        "community.reveal_account",
        "community.view_organisation",
    ],
    "Service designer": ["community.view_persona", "community.view_organisation"],
    "Editor": [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "community.view_organisation",
    ],
    "Agency admin": [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "community.view_organisation",
        "community.change_organisation",
        "community.view_membership",
        "community.view_persona",
        "community.reveal_account",
    ],
}


def groups_for_roles(roles: set[str]) -> set[str]:
    names = {ROLE_GROUPS[r] for r in roles if r in ROLE_GROUPS}
    return names | {CITIZEN_GROUP}


def sync_role_groups(user: User) -> None:
    """Make the user's role groups match their memberships (citizen group always).

    Groups that are not role groups (e.g. Wagtail's own) are left alone.
    """
    roles = set(user.memberships.values_list("role", flat=True))
    wanted = groups_for_roles(roles)
    role_group_names = {*ROLE_GROUPS.values(), CITIZEN_GROUP}
    current = set(user.groups.filter(name__in=role_group_names).values_list("name", flat=True))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if hasattr(user, "_role_cache"):
        del user._role_cache
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)
