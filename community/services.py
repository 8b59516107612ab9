"""Writes for people: personas, notifications and follows.

Every function is keyword-only, checks permission, validates and writes inside
``transaction.atomic``. Other apps call these; they never write community models directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import Follow, Notification, Organisation, Persona, User
from community.text import looks_like_html, plain_text

PERSONA_NAME_MAX = 60
RESERVED_NAME_WORDS = frozenset(
    {"admin", "administrator", "moderator", "staff", "official", "government", "agency"}
)


def _unique_slug(base: str) -> str:
    base = slugify(base)[:60] or "persona"
    slug = base
    while Persona.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def validate_persona_name(display_name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join((display_name or "").split())
    if not name:
        raise ValidationError({"display_name": _("Choose a name to show with your contributions.")})
    if len(name) > PERSONA_NAME_MAX:
        raise ValidationError(
            {"display_name": _("Keep the name under %(n)d characters.") % {"n": PERSONA_NAME_MAX}}
        )
    if looks_like_html(name) or plain_text(name) != name:
        raise ValidationError({"display_name": _("Names cannot contain HTML.")})
    words = re.findall(r"[a-z]+", name.lower())
    if any(word in RESERVED_NAME_WORDS for word in words):
        raise ValidationError(
            {"display_name": _("That name could be mistaken for a member of staff.")}
        )
    clash = Persona.objects.filter(display_name__iexact=name, is_anonymised=False)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"display_name": _("Someone already uses that name.")})
    return name


def persona_create(
    *,
    account: User,
    display_name: str,
    description: str = "",
    organisation: Organisation | None = None,
    is_primary: bool | None = None,
) -> Persona:
    """Create a persona for ``account``. The first persona of an account becomes primary."""
    name = validate_persona_name(display_name)
    description = plain_text(description)
    if len(description) > 1000:
        raise ValidationError({"description": _("Keep the description under 1000 characters.")})
    if (
        organisation is not None
        and not account.memberships.filter(organisation=organisation).exists()
    ):
        raise PermissionDenied(_("You can only speak for an organisation you belong to."))
    with transaction.atomic():
        has_any = account.personas.filter(is_anonymised=False).exists()
        try:
            return Persona.objects.create(
                account=account,
                display_name=name,
                slug=_unique_slug(name),
                description=description,
                organisation=organisation,
                is_primary=not has_any if is_primary is None else is_primary,
            )
        except IntegrityError:
            raise ValidationError({"display_name": _("Someone already uses that name.")}) from None


def notify(
    *,
    recipients: Iterable[User],
    category: str,
    title: str,
    body: str = "",
    url: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Record an in-app notification for each recipient (once each, never to ``exclude``).

    Call inside the write's transaction; delivery by email and live badges follow the
    recipient's preferences.
    """
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        if not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                category=category,
                title=plain_text(title)[:200],
                body=plain_text(body),
                url=url,
            )
        )
    return Notification.objects.bulk_create(rows)


def follow(*, user: User, target: Model) -> Follow:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow."))
    ct = ContentType.objects.get_for_model(target)
    obj, _created = Follow.objects.get_or_create(user=user, content_type=ct, object_id=target.pk)
    return obj


def unfollow(*, user: User, target: Model) -> None:
    ct = ContentType.objects.get_for_model(target)
    Follow.objects.filter(user=user, content_type=ct, object_id=target.pk).delete()
