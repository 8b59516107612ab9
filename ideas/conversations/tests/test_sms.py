"""Voting by text: JOIN a conversation, then A / D / P and a statement number."""

from __future__ import annotations

import itertools

import pytest

from community.sms.tests.factories import PhoneNumberFactory, text_in
from community.tests.factories import PersonaFactory
from ideas.conversations.models import StatementVote, TextParticipant
from ideas.conversations.tests.factories import ConversationFactory, StatementFactory, closed

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


@pytest.fixture
def texter():
    persona = PersonaFactory(display_name="Rosa M.")
    return PhoneNumberFactory(user=persona.account, number="+447700900123")


@pytest.fixture
def conversation():
    conversation = ConversationFactory(sms_code="BUSES", title="Buses to the hospital")
    for text in ("Buses every 10 minutes", "Cheaper fares", "A night bus"):
        StatementFactory(conversation=conversation, text=text)
    return conversation


def _text(client, capture, number, body):
    with capture(execute=True):
        response = text_in(client, sender=number, body=body, message_id=str(next(_ids)))
    assert response.status_code == 204


def test_a_citizen_joins_votes_changes_their_mind_and_is_offered_the_next_statement(
    client, sms, texter, conversation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _text(client, capture, texter.number, "join buses")
    assert TextParticipant.objects.get(account=texter.user).conversation == conversation
    assert "You joined “Buses to the hospital”" in sms[-1]["body"]
    assert "Text A" in sms[-1]["body"]

    _text(client, capture, texter.number, "A 2")
    vote = StatementVote.objects.get(account=texter.user)
    assert (vote.statement.number, vote.value) == (2, 1)
    assert "You agree with statement 2." in sms[-1]["body"]
    assert "Next, statement" in sms[-1]["body"]

    _text(client, capture, texter.number, "d 2")
    assert list(StatementVote.objects.values_list("value", flat=True)) == [-1]
    _text(client, capture, texter.number, "P 1")
    _text(client, capture, texter.number, "A 3")
    assert "voted on every statement" in sms[-1]["body"]
    assert StatementVote.objects.filter(account=texter.user).count() == 3


def test_joining_by_the_conversation_number_works_too(
    client, sms, texter, conversation, django_capture_on_commit_callbacks
):
    _text(client, django_capture_on_commit_callbacks, texter.number, f"JOIN {conversation.pk}")
    assert TextParticipant.objects.filter(account=texter.user, conversation=conversation).exists()


def test_voting_before_joining_says_how_to_join_and_changes_nothing(
    client, sms, texter, conversation, django_capture_on_commit_callbacks
):
    _text(client, django_capture_on_commit_callbacks, texter.number, "A 1")
    assert "text JOIN" in sms[-1]["body"]
    assert not StatementVote.objects.exists()


def test_an_unknown_statement_or_code_changes_nothing(
    client, sms, texter, conversation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _text(client, capture, texter.number, "JOIN NOPE")
    assert "We do not know the conversation NOPE" in sms[-1]["body"]
    _text(client, capture, texter.number, "JOIN BUSES")
    _text(client, capture, texter.number, "A 99")
    assert "could not find statement 99" in sms[-1]["body"]
    _text(client, capture, texter.number, "A twelve")
    assert "A 12" in sms[-1]["body"]
    assert not StatementVote.objects.exists()


def test_a_closed_conversation_answers_clearly_and_changes_nothing(
    client, sms, texter, conversation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _text(client, capture, texter.number, "JOIN BUSES")
    closed(conversation)
    _text(client, capture, texter.number, "A 1")
    assert "closed" in sms[-1]["body"]
    assert "Nothing was changed" in sms[-1]["body"]
    assert not StatementVote.objects.exists()


def test_unknown_and_unverified_numbers_vote_nothing(
    client, sms, conversation, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    unverified = PhoneNumberFactory(user=PersonaFactory().account, verified_at=None)
    TextParticipant.objects.create(account=unverified.user, conversation=conversation)
    _text(client, capture, unverified.number, "A 1")
    assert "We do not know this number yet" in sms[-1]["body"]
    _text(client, capture, "+447700900999", "A 1")
    assert "We do not know this number yet" in sms[-1]["body"]
    assert not StatementVote.objects.exists()


def test_a_forged_webhook_call_votes_nothing(client, sms, texter, conversation):
    TextParticipant.objects.create(account=texter.user, conversation=conversation)
    response = text_in(
        client, sender=texter.number, body="A 1", message_id="forged", secret="wrong-secret"
    )
    assert response.status_code in (401, 403)
    assert not StatementVote.objects.exists()
