"""Reads other parts use: who chose a project (close-the-loop), a person's own data."""

from __future__ import annotations

import pytest

from ideas.budgeting import actions, privacy, selectors
from ideas.budgeting.models import Voter
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProjectFactory,
    VoterFactory,
    counter_staff,
)

pytestmark = pytest.mark.django_db


def test_voters_who_chose_a_project_are_those_whose_counted_ballot_has_it():
    budget = BudgetFactory()
    one, two = ProjectFactory(budget=budget), ProjectFactory(budget=budget)
    chose_one = VoterFactory(process=budget.process)
    chose_two = VoterFactory(process=budget.process)
    paper_only = VoterFactory(process=budget.process)
    actions.ballot_cast(budget=budget, choices=[one.number, two.number], user=chose_one.user)
    actions.ballot_cast(budget=budget, choices=[two.number], user=chose_two.user)
    actions.paper_ballot_enter(
        staff=counter_staff(budget.process), budget=budget, voter=paper_only, choices=[one.number]
    )
    assert list(selectors.voters_who_chose(one)) == [chose_one]
    assert set(selectors.voters_who_chose(two)) == {chose_one, chose_two}


def test_a_person_exports_their_ballots_and_deleting_the_account_unlinks_the_voter():
    budget = BudgetFactory()
    ProjectFactory(budget=budget)
    voter = VoterFactory(process=budget.process)
    actions.ballot_cast(budget=budget, choices=[1], user=voter.user)
    exported = privacy.export_ballots(voter.user)
    assert [row["choices"] for row in exported] == [{"1": 1}]
    assert "key" not in exported[0]
    privacy.erase(voter.user)
    voter = Voter.objects.get(pk=voter.pk)
    assert voter.user is None
    assert voter.ballots.get().is_counted
