"""Factories for idea boards; build on community's people factories."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory
from ideas.models import Challenge, Comment, Idea, Vote


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A published challenge open for ideas now."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    agency = factory.SubFactory(OrganisationFactory)
    question = factory.Sequence(lambda n: f"How might we improve service number {n}?")
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ideas_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory)
    persona = factory.SubFactory(PersonaFactory)
    title = factory.Sequence(lambda n: f"Idea number {n}")
    body = "Put a bench at every bus stop on the hospital route."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    persona = factory.SubFactory(PersonaFactory)
    body = "Good idea."


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    idea = factory.SubFactory(IdeaFactory)
    account = factory.SubFactory(UserFactory)


def citizen(**kwargs):
    """A signed-up citizen with one (primary) persona; returns (user, persona)."""
    persona = PersonaFactory(**kwargs)
    return persona.account, persona


def move_to_review(challenge: Challenge) -> Challenge:
    now = timezone.now()
    challenge.opens_at = now - timedelta(days=10)
    challenge.ideas_close_at = now - timedelta(days=1)
    challenge.closes_at = now + timedelta(days=5)
    challenge.save()
    return challenge


def close(challenge: Challenge) -> Challenge:
    now = timezone.now()
    challenge.opens_at = now - timedelta(days=10)
    challenge.ideas_close_at = now - timedelta(days=5)
    challenge.closes_at = now - timedelta(days=1)
    challenge.save()
    return challenge
