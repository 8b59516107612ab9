"""Factories for moderation tests: moderators scoped to an agency."""

from __future__ import annotations

from community.models import Membership, Role
from community.tests.factories import OrganisationFactory, UserFactory


def moderator(agency=None, **kwargs):
    """A moderator of ``agency`` (a new one if None); returns the user."""
    user = UserFactory(**kwargs)
    Membership.objects.create(
        user=user, organisation=agency or OrganisationFactory(), role=Role.MODERATOR
    )
    return user
