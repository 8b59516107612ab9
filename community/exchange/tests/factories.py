"""Factories for the exchange; people come from community's factories."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from community.exchange.models import Category, Exchange, Message, Mode, Post, Side
from community.tests.factories import PersonaFactory


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    kind = Post.Kind.OFFER
    title = factory.Sequence(lambda n: f"I can help with errands {n}")
    description = "<p>Happy to help with shopping and errands.</p>"
    category = Category.ERRANDS
    area = "riverside"
    mode = Mode.IN_PERSON
    availability = "Weekday mornings"
    persona = factory.SubFactory(PersonaFactory)
    created_by = factory.LazyAttribute(lambda p: p.persona.account)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    post = factory.SubFactory(PostFactory)
    responder = factory.SubFactory(PersonaFactory)
    created_by = factory.LazyAttribute(lambda e: e.responder.account)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    exchange = factory.SubFactory(ExchangeFactory)
    side = Side.RESPONDER
    author = factory.LazyAttribute(lambda m: m.exchange.responder)
    author_user = factory.LazyAttribute(lambda m: m.author.account)
    body = "<p>Hello!</p>"


# Who may report a sample of each private reportable (tests/test_moderation.py): a message is
# seen only by the two sides, so the post's owner reports the responder's message.
MODERATION_REPORTERS = {"exchange.message": lambda message: message.exchange.post.persona.account}
