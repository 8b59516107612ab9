"""Conversations feed the opinion engine: a vote recomputes the stored map, the report shows
groups (small ones suppressed), consensus and divisive statements, and a consensus statement
is promoted to the backlog with close-the-loop to everyone who agreed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community.models import Notification, Role
from community.tests.factories import PersonaFactory, staff
from ideas.backlog.models import BacklogItem, BacklogSourceLink
from ideas.conversations import actions, opinion
from ideas.conversations.demo import compute_now, plant
from ideas.conversations.models import Choice, StatementVote
from ideas.conversations.tests.factories import ConversationFactory, StatementFactory
from ideas.opinion.selectors import stored_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped():
    """A conversation with 12 statements (0-2 common ground in planting order) and three
    planted groups of 20, its map computed."""
    conversation = ConversationFactory()
    statements = [StatementFactory(conversation=conversation) for _ in range(12)]
    voters, planted = plant(conversation, statements, (20, 20, 20), density=0.8, seed=3)
    compute_now(conversation.pk)
    return conversation, statements, voters, planted


def test_the_stored_map_finds_the_three_planted_groups_and_the_common_ground(mapped):
    conversation, statements, _voters, planted = mapped
    result = opinion.stored_result(conversation.pk)
    assert result is not None and result.enough
    assert len(result.groups) == 3
    common = {statements[i].pk for i in planted.common_ground}
    assert opinion.consensus_ids(conversation.pk) & common


def test_a_vote_recomputes_the_map_after_commit(mapped, django_capture_on_commit_callbacks):
    conversation, statements, _voters, _planted = mapped
    before = stored_map(opinion.KIND, conversation.pk).votes_seen
    with django_capture_on_commit_callbacks(execute=True):
        actions.vote_cast(user=PersonaFactory().account, statement=statements[0], choice="agree")
    assert stored_map(opinion.KIND, conversation.pk).votes_seen > before


def test_the_report_shows_groups_and_consensus_with_a_constant_number_of_queries(
    client, mapped, django_assert_max_num_queries
):
    conversation, statements, _voters, planted = mapped
    url = reverse("conversations:report", args=[conversation.pk])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "60 participants" in html
    common = statements[planted.common_ground[0]]
    assert any(statements[i].text in html for i in planted.common_ground), common.text
    assert "Promote statement" not in html, "only the agency may promote"


def test_a_consensus_statement_is_promoted_and_everyone_who_agreed_hears_back(client, mapped):
    conversation, statements, _voters, _planted = mapped
    designer = staff(Role.SERVICE_DESIGNER, conversation.agency)
    statement = next(s for s in statements if s.pk in opinion.consensus_ids(conversation.pk))
    agreed = set(
        StatementVote.objects.filter(statement=statement, value=Choice.AGREE).values_list(
            "account_id", flat=True
        )
    )
    client.force_login(designer)
    page = client.get(reverse("conversations:report", args=[conversation.pk])).content.decode()
    assert f"Promote statement {statement.number} to the backlog" in page
    client.post(reverse("conversations:promote", args=[statement.pk]))
    item = BacklogItem.objects.get(agency=conversation.agency)
    assert BacklogSourceLink.objects.filter(item=item, object_id=statement.pk).exists()
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == agreed
    with pytest.raises(ValidationError, match="already in the backlog"):
        statement.refresh_from_db()
        actions.statement_promote(user=designer, statement=statement)


def test_a_divisive_statement_cannot_be_promoted_nor_by_a_citizen(mapped):
    conversation, statements, _voters, _planted = mapped
    designer = staff(Role.SERVICE_DESIGNER, conversation.agency)
    consensus = opinion.consensus_ids(conversation.pk)
    owned = next(s for s in statements if s.pk not in consensus)
    with pytest.raises(ValidationError, match="consensus"):
        actions.statement_promote(user=designer, statement=owned)
    some = next(s for s in statements if s.pk in consensus)
    with pytest.raises(PermissionDenied):
        actions.statement_promote(user=PersonaFactory().account, statement=some)
    assert not BacklogItem.objects.exists()


def test_hiding_a_statement_takes_it_out_of_routing_and_the_map(
    mapped, django_capture_on_commit_callbacks
):
    from community.moderation.registry import reportable

    conversation, statements, _voters, _planted = mapped
    target = statements[5]
    with django_capture_on_commit_callbacks(execute=True):
        reportable(target).on_hide(target, "rude")
    target.refresh_from_db()
    assert target.is_hidden
    result = opinion.stored_result(conversation.pk)
    assert target.pk not in {s.statement for s in result.statements}
