"""Factories for participation events and shared segments."""

from __future__ import annotations

import factory
from django.utils import timezone

from community.models import Consent, ConsentPurpose
from community.participation.models import ParticipationEvent, SegmentProfile
from community.participation.recorder import participant_key
from community.tests.factories import PersonaFactory


class ParticipationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationEvent

    kind = "exchange.completed"
    occurred_at = factory.LazyFunction(timezone.now)


def person(n: int) -> str:
    """The participant key of a made-up account number (for aggregate tests)."""
    return participant_key(10_000_000 + n)


def consenting(age_band: str = "", area: str = "", **persona_kwargs):
    """A citizen who agreed to insight statistics and shares ``age_band``/``area``; (user, persona)."""
    persona = PersonaFactory(**persona_kwargs)
    user = persona.account
    Consent.objects.create(
        user=user,
        purpose=ConsentPurpose.INSIGHT_STATISTICS,
        granted=True,
        granted_at=timezone.now(),
    )
    SegmentProfile.objects.create(user=user, age_band=age_band, area=area)
    return user, persona
