"""Follows: anything registered with :func:`community.follows.register_followable`."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from community import follows as follow_registry
from community import permissions
from community.models import Follow, Persona, User


def follow(*, user: User, target: Model) -> Follow:
    """Follow anything registered with :func:`community.follows.register_followable`."""
    if not permissions.can_contribute(user):
        raise PermissionDenied(_("Sign in to follow."))
    if not follow_registry.is_followable(target):
        raise ValidationError(_("That cannot be followed."))
    if isinstance(target, Persona) and target.account_id == user.pk:
        raise ValidationError(_("That is one of your own personas."))
    ct = ContentType.objects.get_for_model(target)
    obj, _created = Follow.objects.get_or_create(user=user, content_type=ct, object_id=target.pk)
    return obj


def unfollow(*, user: User, target: Model) -> None:
    ct = ContentType.objects.get_for_model(target)
    Follow.objects.filter(user=user, content_type=ct, object_id=target.pk).delete()
