"""Reads about people shared by pages, APIs and other apps."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from community.models import Organisation, Persona, User


def agencies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)


def personas_of(user: User) -> QuerySet[Persona]:
    """The personas a signed-in account may act as, primary first."""
    return user.personas.filter(is_anonymised=False).order_by("-is_primary", "display_name")


def primary_persona(user: User) -> Persona | None:
    return personas_of(user).first()


def followers_of(target: Model) -> QuerySet[User]:
    ct = ContentType.objects.get_for_model(target)
    return User.objects.filter(
        follows__content_type=ct, follows__object_id=target.pk, is_active=True
    )
