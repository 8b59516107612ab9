"""Voting by text: ``VOTE 3 7 12`` through the same action as the website."""

from __future__ import annotations

import itertools

import pytest

from community.sms.tests.factories import PhoneNumberFactory, text_in
from ideas.budgeting.models import Ballot, BallotKind, Phase
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProcessFactory,
    ProjectFactory,
    VoterFactory,
    set_phase,
)

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


@pytest.fixture
def budget():
    budget = BudgetFactory(
        process=ProcessFactory(title="Northvale 2027"), amount=100_000, max_choices=3
    )
    for cost in (30_000, 20_000, 40_000, 10_000):
        ProjectFactory(budget=budget, cost=cost)
    return budget


@pytest.fixture
def texter(budget):
    voter = VoterFactory(process=budget.process)
    PhoneNumberFactory(user=voter.user, number="+447700900555")
    return voter


def _text(client, capture, body, number="+447700900555", **kwargs):
    with capture(execute=True):
        response = text_in(client, sender=number, body=body, message_id=str(next(_ids)), **kwargs)
    return response


def _reply(outbox) -> str:
    return outbox[-1]["body"]


def test_vote_by_text_casts_then_replaces_the_ballot(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    assert _text(client, django_capture_on_commit_callbacks, "VOTE 1 2 4").status_code == 204
    assert "saved" in _reply(sms)
    assert Ballot.objects.get().choices == {"1": 1, "2": 1, "4": 1}
    _text(client, django_capture_on_commit_callbacks, "vote #3")
    ballot = Ballot.objects.get()
    assert (ballot.choices, ballot.channel, ballot.version) == ({"3": 1}, "sms", 2)


def test_a_text_over_the_limit_names_the_limit_and_changes_nothing(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    _text(client, django_capture_on_commit_callbacks, "VOTE 1 2 3 4")
    assert "3" in _reply(sms) and "Nothing was changed" in _reply(sms)
    assert not Ballot.objects.exists()


def test_an_unknown_project_number_changes_nothing(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    _text(client, django_capture_on_commit_callbacks, "VOTE 1 77")
    assert "77" in _reply(sms)
    assert not Ballot.objects.exists()


def test_a_text_outside_the_voting_phase_is_refused(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    set_phase(budget.process, Phase.COUNTING)
    _text(client, django_capture_on_commit_callbacks, "VOTE 1")
    assert "No participatory budget is voting" in _reply(sms)
    assert not Ballot.objects.exists()


def test_a_ranked_budget_takes_the_order_of_the_numbers(
    client, sms, texter, django_capture_on_commit_callbacks
):
    ranked = BudgetFactory(process=texter.process, ballot_kind=BallotKind.RANKED, max_choices=3)
    first, second = ProjectFactory(budget=ranked), ProjectFactory(budget=ranked)
    _text(client, django_capture_on_commit_callbacks, f"VOTE {second.number} {first.number}")
    assert Ballot.objects.get(budget=ranked).choices == {
        str(second.number): 1,
        str(first.number): 2,
    }


def test_a_forged_text_is_refused_and_changes_nothing(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    response = _text(client, django_capture_on_commit_callbacks, "VOTE 1", secret="wrong-secret")
    assert response.status_code == 403
    unsigned = _text(client, django_capture_on_commit_callbacks, "VOTE 1", sign=False)
    assert unsigned.status_code == 403
    assert not Ballot.objects.exists()


def test_an_unverified_sender_cannot_vote(client, sms, budget, django_capture_on_commit_callbacks):
    PhoneNumberFactory(number="+447700900666", verified_at=None)
    _text(client, django_capture_on_commit_callbacks, "VOTE 1", number="+447700900666")
    assert not Ballot.objects.exists()


def test_with_two_processes_voting_the_code_picks_one(
    client, sms, budget, texter, django_capture_on_commit_callbacks
):
    budget.process.sms_code = "NORTH"
    budget.process.save()
    other = BudgetFactory(process=ProcessFactory(sms_code="SOUTH"))
    ProjectFactory(budget=other)
    _text(client, django_capture_on_commit_callbacks, "VOTE 1")
    assert "NORTH" in _reply(sms) and "SOUTH" in _reply(sms)
    assert not Ballot.objects.exists()
    _text(client, django_capture_on_commit_callbacks, "VOTE north 2")
    assert Ballot.objects.get().budget == budget
