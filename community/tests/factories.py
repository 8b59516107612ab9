"""Factories for people; other apps' tests import these."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from community.models import Membership, Organisation, Persona, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Organisation.Kind.AGENCY


class IntermediaryFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Neighbours group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    kind = Organisation.Kind.INTERMEDIARY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    account = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Resident {n}")
    slug = factory.Sequence(lambda n: f"resident-{n}")
    is_primary = True


def staff(role: str, organisation: Organisation | None = None, **user_kwargs) -> User:
    """An account holding ``role`` in ``organisation`` (a new agency if None)."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory(), role=role)
    return user
