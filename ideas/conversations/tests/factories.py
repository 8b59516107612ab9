"""Factories for conversations; build on community's and ideas' factories."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory
from ideas.conversations.models import Conversation, Statement, StatementVote


class ConversationFactory(factory.django.DjangoModelFactory):
    """An open conversation of a new agency, standalone."""

    class Meta:
        model = Conversation

    agency = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Conversation {n}")
    question = "How should buses serve the hospital?"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    conversation = factory.SubFactory(ConversationFactory)
    number = factory.LazyAttribute(
        lambda o: (
            (
                o.conversation.statements.order_by("-number")
                .values_list("number", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )
    persona = factory.SubFactory(PersonaFactory)
    text = factory.Sequence(lambda n: f"Statement text number {n}")


class StatementVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatementVote

    statement = factory.SubFactory(StatementFactory)
    account = factory.SubFactory(UserFactory)
    value = 1


def closed(conversation: Conversation) -> Conversation:
    now = timezone.now()
    conversation.opens_at = now - timedelta(days=2)
    conversation.closes_at = now - timedelta(days=1)
    conversation.save()
    return conversation
