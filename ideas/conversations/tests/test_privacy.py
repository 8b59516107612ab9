"""Votes and statements in the personal export; votes erased with the account."""

from __future__ import annotations

import pytest

from community.privacy import build_export, erasers
from community.tests.factories import PersonaFactory
from ideas.conversations.models import StatementVote, TextParticipant
from ideas.conversations.tests.factories import StatementFactory, StatementVoteFactory

pytestmark = pytest.mark.django_db


def test_the_personal_export_holds_my_statements_and_votes_and_nobody_elses():
    persona = PersonaFactory()
    me = persona.account
    mine = StatementFactory(persona=persona, text="Mine")
    StatementFactory(text="Theirs")
    StatementVoteFactory(statement=mine, account=me, value=-1)
    StatementVoteFactory(statement=mine, value=1)
    export = build_export(me)
    text = str(export)
    assert "Mine" in text and "Theirs" not in text
    votes = export["sections"]["conversation_votes"]["items"]
    assert [(v["statement"], v["vote"]) for v in votes] == [(mine.number, "disagree")]


def test_erasure_removes_votes_and_the_text_conversation():
    persona = PersonaFactory()
    vote = StatementVoteFactory(account=persona.account)
    TextParticipant.objects.create(
        account=persona.account, conversation=vote.statement.conversation
    )
    other = StatementVoteFactory(statement=vote.statement)
    for erase in erasers():
        erase(persona.account)
    assert list(StatementVote.objects.all()) == [other]
    assert not TextParticipant.objects.exists()
