"""Conversation rules: who may create, add, vote; one vote per person per statement
(changeable, database-enforced); screening; numbering; closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import Role
from community.moderation.models import ModerationCase
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas.conversations import actions, selectors
from ideas.conversations.models import Conversation, Statement, StatementVote
from ideas.conversations.tests.factories import (
    ConversationFactory,
    StatementFactory,
    closed,
)
from ideas.tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def citizen():
    return PersonaFactory().account


# -- creating and closing --------------------------------------------------------------------


def test_a_service_designer_opens_a_conversation_with_starting_statements_numbered_in_order():
    challenge = ChallengeFactory()
    designer = staff(Role.SERVICE_DESIGNER, challenge.agency)
    PersonaFactory(account=designer)
    conversation = actions.conversation_create(
        user=designer,
        agency=challenge.agency,
        challenge=challenge,
        title="Buses to the hospital",
        question="What should change?",
        statements=["Buses should run every 10 minutes", "Fares are too high"],
    )
    assert conversation.is_open
    assert [(s.number, s.text, s.is_seed) for s in conversation.statements.all()] == [
        (1, "Buses should run every 10 minutes", True),
        (2, "Fares are too high", True),
    ]


def test_a_citizen_or_another_agencys_designer_cannot_open_one():
    agency = ConversationFactory().agency
    other = staff(Role.SERVICE_DESIGNER)
    for user in (citizen(), other):
        with pytest.raises(PermissionDenied):
            actions.conversation_create(user=user, agency=agency, title="T", question="Q")
    assert Conversation.objects.count() == 1


def test_one_bad_starting_statement_creates_nothing():
    designer = staff(Role.SERVICE_DESIGNER)
    PersonaFactory(account=designer)
    agency = designer.memberships.get().organisation
    with pytest.raises(ValidationError) as error:
        actions.conversation_create(
            user=designer, agency=agency, title="T", question="Q", statements=["Fine", "<b>x</b>"]
        )
    assert "statements" in error.value.message_dict
    assert not Conversation.objects.exists()


def test_a_challenge_of_another_agency_is_refused():
    designer = staff(Role.SERVICE_DESIGNER)
    agency = designer.memberships.get().organisation
    with pytest.raises(ValidationError) as error:
        actions.conversation_create(
            user=designer, agency=agency, title="T", question="Q", challenge=ChallengeFactory()
        )
    assert "challenge" in error.value.message_dict


def test_closing_stops_votes_and_statements_and_closing_twice_says_so():
    statement = StatementFactory()
    conversation = statement.conversation
    designer = staff(Role.SERVICE_DESIGNER, conversation.agency)
    actions.conversation_close(user=designer, conversation=conversation)
    conversation.refresh_from_db()
    assert not conversation.is_open
    with pytest.raises(PermissionDenied, match="closed"):
        actions.vote_cast(user=citizen(), statement=statement, choice="agree")
    with pytest.raises(PermissionDenied, match="closed"):
        actions.statement_add(user=citizen(), conversation=conversation, text="Late")
    with pytest.raises(ValidationError, match="already closed"):
        actions.conversation_close(user=designer, conversation=conversation)
    with pytest.raises(PermissionDenied):
        actions.conversation_close(user=citizen(), conversation=ConversationFactory())


# -- statements ------------------------------------------------------------------------------


def test_statements_are_numbered_per_conversation_as_the_chosen_persona():
    user = citizen()
    second = PersonaFactory(account=user, display_name="Neighbour")
    one, other = ConversationFactory(), ConversationFactory()
    a = actions.statement_add(user=user, conversation=one, text="More shelters")
    b = actions.statement_add(user=user, conversation=one, text="Later buses", persona=second)
    c = actions.statement_add(user=user, conversation=other, text="More shelters")
    assert (a.number, b.number, c.number) == (1, 2, 1)
    assert b.persona == second
    assert not a.is_seed


def test_a_statement_as_someone_elses_persona_is_refused():
    with pytest.raises(PermissionDenied):
        actions.statement_add(
            user=citizen(), conversation=ConversationFactory(), text="Hi", persona=PersonaFactory()
        )
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    ("text", "field_message"),
    [
        ("   ", "Write a statement first."),
        ("x" * 281, "Keep it under 280 characters"),
        ("<script>alert(1)</script>", "remove the HTML"),
    ],
)
def test_bad_statements_are_refused_with_a_reason(text, field_message):
    with pytest.raises(ValidationError) as error:
        actions.statement_add(user=citizen(), conversation=ConversationFactory(), text=text)
    assert field_message in " ".join(error.value.message_dict["text"])
    assert not Statement.objects.exists()


def test_the_same_statement_twice_is_refused():
    conversation = ConversationFactory()
    actions.statement_add(user=citizen(), conversation=conversation, text="Free wifi on buses")
    with pytest.raises(ValidationError, match="already has that statement"):
        actions.statement_add(user=citizen(), conversation=conversation, text="free WIFI on buses")


def test_participants_cannot_add_statements_where_only_the_agency_does():
    conversation = ConversationFactory(allow_statements=False)
    with pytest.raises(PermissionDenied, match="only the agency"):
        actions.statement_add(user=citizen(), conversation=conversation, text="Mine")
    designer = staff(Role.SERVICE_DESIGNER, conversation.agency)
    PersonaFactory(account=designer)
    assert actions.statement_add(user=designer, conversation=conversation, text="Ours").is_seed


def test_a_screened_statement_is_held_hidden_and_never_routed():
    conversation = ConversationFactory()
    user = citizen()
    statement = actions.statement_add(
        user=user, conversation=conversation, text="Cheap tickets at https://spam.biz/deal"
    )
    assert statement.screening.held
    statement.refresh_from_db()
    assert statement.is_hidden
    assert ModerationCase.objects.get(object_id=statement.pk).held
    shown, progress = selectors.next_statement(citizen(), conversation)
    assert shown is None and progress.total == 0


# -- votes -----------------------------------------------------------------------------------


def test_a_vote_changes_and_the_last_one_wins_in_one_row():
    statement = StatementFactory()
    user = citizen()
    actions.vote_cast(user=user, statement=statement, choice="agree")
    actions.vote_cast(user=user, statement=statement, choice="disagree")
    actions.vote_cast(user=user, statement=statement, choice="pass")
    assert list(StatementVote.objects.values_list("account_id", "value")) == [(user.pk, 0)]


def test_the_database_refuses_a_second_vote_row():
    vote = actions.vote_cast(user=citizen(), statement=StatementFactory(), choice="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVote.objects.create(statement=vote.statement, account=vote.account, value=-1)


@pytest.mark.parametrize("choice", ["maybe", "", None, 2, "1.0", True])
def test_an_unknown_choice_is_refused_and_nothing_is_recorded(choice):
    with pytest.raises(ValidationError, match="agree, disagree or pass"):
        actions.vote_cast(user=citizen(), statement=StatementFactory(), choice=choice)
    assert not StatementVote.objects.exists()


def test_anonymous_visitors_and_deactivated_accounts_cannot_vote():
    from django.contrib.auth.models import AnonymousUser

    statement = StatementFactory()
    for user in (AnonymousUser(), UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied, match="Sign in"):
            actions.vote_cast(user=user, statement=statement, choice="agree")
    assert not StatementVote.objects.exists()


def test_a_conversation_that_has_not_opened_takes_no_votes():
    statement = StatementFactory(
        conversation=ConversationFactory(opens_at=timezone.now() + timedelta(days=1))
    )
    with pytest.raises(PermissionDenied, match="not opened yet"):
        actions.vote_cast(user=citizen(), statement=statement, choice="agree")


def test_a_hidden_statement_takes_no_votes():
    statement = StatementFactory(is_hidden=True)
    with pytest.raises(ValidationError, match="not shown"):
        actions.vote_cast(user=citizen(), statement=statement, choice="agree")


def test_a_closed_conversation_takes_no_votes():
    statement = StatementFactory(conversation=closed(ConversationFactory()))
    with pytest.raises(PermissionDenied, match="closed"):
        actions.vote_cast(user=citizen(), statement=statement, choice=1)
