"""Fixtures for exchange tests: two neighbours, an intermediary with a member."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from community.exchange import actions
from community.models import Role
from community.tests.factories import IntermediaryFactory, MembershipFactory, PersonaFactory


@pytest.fixture
def amara():
    """A persona whose account has read the safety guidance."""
    persona = PersonaFactory(display_name="Amara O.")
    actions.safety_acknowledge(user=persona.account)
    return persona


@pytest.fixture
def joe():
    persona = PersonaFactory(display_name="Joe B.")
    actions.safety_acknowledge(user=persona.account)
    return persona


@pytest.fixture
def stranger():
    return PersonaFactory(display_name="Stranger S.")


@pytest.fixture
def riverside():
    return IntermediaryFactory(name="Riverside Neighbours", slug="riverside-neighbours")


@pytest.fixture
def li(riverside):
    """A member of the Riverside intermediary."""
    persona = PersonaFactory(display_name="Li Chen")
    MembershipFactory(user=persona.account, organisation=riverside, role=Role.MEMBER)
    actions.safety_acknowledge(user=persona.account)
    return persona


def make_post(persona, **kwargs):
    defaults = {
        "kind": "offer",
        "title": "I can help fill in a benefits form",
        "description": "I used to work at the advice centre.",
        "category": "forms",
        "area": "riverside",
        "mode": "in_person",
        "availability": "Weekday mornings",
    }
    defaults.update(kwargs)
    return actions.post_create(user=persona.account, persona=persona, **defaults)


def agreed_exchange(post, responder, hours="2"):
    """A conversation about ``post`` agreed at ``hours``."""
    exchange = actions.exchange_respond(
        user=responder.account, post=post, persona=responder, message="Hello, I could use that."
    )
    actions.exchange_propose(user=responder.account, exchange=exchange, hours=hours)
    return actions.exchange_accept(user=post.persona.account, exchange=exchange)


@contextmanager
def ledger_restored_afterwards():
    """Let a test corrupt the ledger to check ``ledger_check`` reports it, then put it back.

    On PostgreSQL the deferred trigger of migration 0003 refuses an unbalanced ledger at
    COMMIT, and Django's test teardown checks deferred constraints too; so the movements are
    restored as they were before the block ends. Non-transactional tests only.
    """
    from community.exchange.models import Movement

    rows = list(Movement.objects.values())
    try:
        yield
    finally:
        Movement.objects.all().delete()
        Movement.objects.bulk_create(Movement(**row) for row in rows)
