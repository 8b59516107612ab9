"""Factories for co-design sessions; build on the community and ideas factories."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from community.models import Role
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas.codesign.models import CodesignSession, Note, Participant, Phase, Prompt


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodesignSession
        skip_postgeneration_save = True

    agency = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    goal = "Find the three changes that would make the bus feel reliable."
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))

    @factory.post_generation
    def prompts(self, create, extracted, **kwargs):
        if create:
            for i, text in enumerate(extracted or ["What works?", "What gets in the way?"]):
                Prompt.objects.create(session=self, text=text, position=i)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    session = factory.SubFactory(SessionFactory)
    persona = factory.SubFactory(PersonaFactory)
    account = factory.LazyAttribute(lambda p: p.persona.account)


class NoteFactory(factory.django.DjangoModelFactory):
    """A revealed note in an open session in the clustering phase (readable by anyone)."""

    class Meta:
        model = Note

    session = factory.SubFactory(SessionFactory, phase=Phase.CLUSTER)
    author = factory.SubFactory(ParticipantFactory, session=factory.SelfAttribute("..session"))
    text = factory.Sequence(lambda n: f"Sticky note {n}: clearer timetables")


def designer(agency, display_name: str | None = None, **kwargs):
    """A service designer of ``agency`` with a primary persona; returns (user, persona)."""
    user = staff(Role.SERVICE_DESIGNER, agency, **kwargs)
    persona = PersonaFactory(account=user, display_name=display_name or f"Designer {user.pk}")
    return user, persona


def person(**kwargs):
    persona = PersonaFactory(**kwargs)
    return persona.account, persona
