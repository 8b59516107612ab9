"""The pages, without JavaScript: one statement at a time, three buttons, progress, reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Role
from community.tests.factories import PersonaFactory, staff
from ideas.conversations.models import Conversation, Statement, StatementVote
from ideas.conversations.tests.factories import ConversationFactory, StatementFactory, closed
from ideas.tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation():
    conversation = ConversationFactory()
    for text in ("Buses every 10 minutes", "Cheaper fares", "A night bus"):
        StatementFactory(conversation=conversation, text=text)
    return conversation


def _shown(response) -> Statement:
    return response.context["statement"]


def test_a_citizen_votes_through_every_statement_one_at_a_time(client, conversation):
    user = PersonaFactory().account
    client.force_login(user)
    url = conversation.get_absolute_url()
    seen = []
    for n in range(3):
        page = client.get(url)
        assert f"You have voted on {n} of 3 statements." in page.content.decode()
        statement = _shown(page)
        assert statement.pk not in seen
        seen.append(statement.pk)
        response = client.post(
            reverse("conversations:vote", args=[conversation.pk]),
            {"statement": statement.pk, "choice": ["agree", "disagree", "pass"][n]},
        )
        assert response.status_code == 302
    page = client.get(url)
    assert _shown(page) is None
    assert "You have voted on every statement" in page.content.decode()
    assert StatementVote.objects.filter(account=user).count() == 3


def test_the_three_buttons_are_real_buttons_in_one_labelled_form(client, conversation):
    client.force_login(PersonaFactory().account)
    html = client.get(conversation.get_absolute_url()).content.decode()
    for value, label in (("agree", "Agree"), ("disagree", "Disagree"), ("pass", "Pass / unsure")):
        assert f'<button type="submit" name="choice" value="{value}"' in html
        assert label in html
    assert 'aria-describedby="statement-text"' in html


def test_a_visitor_sees_a_statement_and_why_they_cannot_vote(client, conversation):
    page = client.get(conversation.get_absolute_url())
    html = page.content.decode()
    assert "Sign in to take part in this conversation." in html
    assert 'name="choice"' not in html
    response = client.post(
        reverse("conversations:vote", args=[conversation.pk]),
        {"statement": conversation.statements.first().pk, "choice": "agree"},
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not StatementVote.objects.exists()


def test_a_closed_conversation_says_so_and_takes_nothing(client, conversation):
    closed(conversation)
    client.force_login(PersonaFactory().account)
    html = client.get(conversation.get_absolute_url()).content.decode()
    assert "This conversation is closed: votes are no longer taken." in html
    assert "This conversation is closed: statements are no longer taken." in html
    response = client.post(
        reverse("conversations:vote", args=[conversation.pk]),
        {"statement": conversation.statements.first().pk, "choice": "agree"},
        follow=True,
    )
    assert "closed" in response.content.decode()
    assert not StatementVote.objects.exists()


def test_a_statement_of_another_conversation_or_a_bad_choice_changes_nothing(client, conversation):
    client.force_login(PersonaFactory().account)
    other = StatementFactory()
    url = reverse("conversations:vote", args=[conversation.pk])
    response = client.post(url, {"statement": other.pk, "choice": "agree"}, follow=True)
    assert "not in this conversation" in response.content.decode()
    response = client.post(
        url, {"statement": conversation.statements.first().pk, "choice": "maybe"}, follow=True
    )
    assert "Choose agree, disagree or pass." in response.content.decode()
    assert not StatementVote.objects.exists()


def test_adding_a_statement_shows_its_number_and_a_bad_one_keeps_the_text(client, conversation):
    user = PersonaFactory().account
    client.force_login(user)
    url = reverse("conversations:statement_add", args=[conversation.pk])
    persona = user.personas.get()
    response = client.post(url, {"persona": persona.pk, "text": "Bike racks at stops"}, follow=True)
    assert "Your statement is number 4." in response.content.decode()
    response = client.post(url, {"persona": persona.pk, "text": "Cheaper fares"})
    assert response.status_code == 400
    assert "already has that statement" in response.content.decode()
    assert conversation.statements.count() == 4


def test_a_conversation_that_has_not_opened_is_hidden_from_everyone_but_its_runners(client):
    conversation = ConversationFactory(opens_at=timezone.now() + timedelta(days=2))
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert client.get(reverse("conversations:report", args=[conversation.pk])).status_code == 404
    client.force_login(staff(Role.SERVICE_DESIGNER, conversation.agency))
    assert client.get(conversation.get_absolute_url()).status_code == 200


def test_the_challenge_board_lists_its_conversations(client):
    challenge = ChallengeFactory()
    conversation = ConversationFactory(agency=challenge.agency, challenge=challenge, title="Fares")
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert conversation.get_absolute_url() in html
    assert "Fares" in html


def test_a_designer_starts_a_conversation_from_the_form_and_others_cannot(client):
    challenge = ChallengeFactory()
    url = reverse("conversations:create", args=[challenge.agency.slug])
    client.force_login(PersonaFactory().account)
    assert client.get(url).status_code == 404
    designer = staff(Role.SERVICE_DESIGNER, challenge.agency)
    PersonaFactory(account=designer)
    client.force_login(designer)
    response = client.post(
        url,
        {
            "title": "Fares",
            "question": "What should fares be?",
            "challenge": challenge.pk,
            "statements": "Fares should be free\nFares should be capped\n",
            "allow_statements": "on",
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert conversation.challenge == challenge
    assert conversation.statements.count() == 2
    response = client.post(url, {"title": "", "question": ""})
    assert response.status_code == 400


def test_closing_from_the_page_needs_the_agencys_designer(client, conversation):
    url = reverse("conversations:close", args=[conversation.pk])
    client.force_login(PersonaFactory().account)
    assert client.post(url).status_code == 404
    client.force_login(staff(Role.SERVICE_DESIGNER, conversation.agency))
    client.post(url)
    conversation.refresh_from_db()
    assert not conversation.is_open
