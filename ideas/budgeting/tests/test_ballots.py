"""Ballots on every channel: one per person and budget, the last one counts, paper ballots
count once a second member of staff confirms them, and every refusal changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from community.tests.factories import UserFactory
from ideas.budgeting import actions, selectors
from ideas.budgeting.models import Ballot, BallotKind, BallotRevision, Channel, Phase
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProjectFactory,
    VoterFactory,
    counter_staff,
    set_phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    budget = BudgetFactory(amount=100_000, max_choices=3)
    for cost in (30_000, 40_000, 50_000, 20_000):
        ProjectFactory(budget=budget, cost=cost)
    return budget


@pytest.fixture
def voter(budget):
    return VoterFactory(process=budget.process)


def test_a_second_web_ballot_replaces_the_first_and_keeps_it_as_a_revision(budget, voter):
    first = actions.ballot_cast(budget=budget, choices=[1, 2], user=voter.user)
    second = actions.ballot_cast(budget=budget, choices=[3], user=voter.user)
    assert first.pk == second.pk
    ballot = Ballot.objects.get(budget=budget, voter=voter)
    assert ballot.choices == {"3": 1}
    assert ballot.version == 2
    assert BallotRevision.objects.get(ballot=ballot).choices == {"1": 1, "2": 1}


def test_web_then_sms_then_counter_leave_one_ballot_holding_the_last(budget, voter):
    staff_member = counter_staff(budget.process)
    actions.ballot_cast(budget=budget, choices=[1], user=voter.user, channel=Channel.WEB)
    actions.ballot_cast(budget=budget, choices=[2], user=voter.user, channel=Channel.SMS)
    actions.ballot_cast(
        budget=budget, choices=[4], voter=voter, staff=staff_member, channel=Channel.COUNTER
    )
    ballots = Ballot.objects.filter(budget=budget)
    assert ballots.count() == 1
    assert ballots.get().choices == {"4": 1}
    assert ballots.get().channel == Channel.COUNTER


def test_the_database_refuses_a_second_ballot_row_for_the_same_voter(budget, voter):
    Ballot.objects.create(budget=budget, voter=voter, channel=Channel.WEB, choices={"1": 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(budget=budget, voter=voter, channel=Channel.SMS, choices={"2": 1})


def test_over_the_budget_names_the_budget_and_changes_nothing(budget, voter):
    budget.ballot_kind = BallotKind.KNAPSACK
    budget.max_choices = None
    budget.save()
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(budget=budget, choices=[2, 3, 4], user=voter.user)
    assert "100,000" in " ".join(exc.value.messages)
    assert not Ballot.objects.exists()


def test_too_many_choices_names_the_limit_and_keeps_the_earlier_ballot(budget, voter):
    actions.ballot_cast(budget=budget, choices=[1], user=voter.user)
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(budget=budget, choices=[1, 2, 3, 4], user=voter.user)
    assert "3" in " ".join(exc.value.messages)
    assert Ballot.objects.get().choices == {"1": 1}


def test_an_unknown_or_hidden_project_is_refused(budget, voter):
    hidden = ProjectFactory(budget=budget, is_hidden=True)
    for choices in ([99], [hidden.number]):
        with pytest.raises(ValidationError):
            actions.ballot_cast(budget=budget, choices=choices, user=voter.user)
    assert not Ballot.objects.exists()


def test_cumulative_points_over_the_total_are_refused_with_the_total(voter):
    budget = BudgetFactory(
        process=voter.process, ballot_kind=BallotKind.CUMULATIVE, points=10, max_choices=None
    )
    one, two = ProjectFactory(budget=budget), ProjectFactory(budget=budget)
    with pytest.raises(ValidationError) as exc:
        actions.ballot_cast(budget=budget, choices={one.number: 8, two.number: 5}, user=voter.user)
    assert "10" in " ".join(exc.value.messages)
    ballot = actions.ballot_cast(
        budget=budget, choices={one.number: 7, two.number: 3}, user=voter.user
    )
    assert ballot.choices == {str(one.number): 7, str(two.number): 3}


def test_a_ranked_ballot_from_a_list_is_ranked_in_order(voter):
    budget = BudgetFactory(process=voter.process, ballot_kind=BallotKind.RANKED, max_choices=3)
    a, b, c = (ProjectFactory(budget=budget) for _ in range(3))
    ballot = actions.ballot_cast(budget=budget, choices=[c.number, a.number], user=voter.user)
    assert ballot.choices == {str(c.number): 1, str(a.number): 2}
    with pytest.raises(ValidationError):
        actions.ballot_cast(budget=budget, choices={a.number: 1, b.number: 1}, user=voter.user)


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.COUNTING, Phase.RESULTS])
def test_voting_outside_the_voting_phase_is_refused(budget, voter, phase):
    set_phase(budget.process, phase)
    with pytest.raises(PermissionDenied, match="not open"):
        actions.ballot_cast(budget=budget, choices=[1], user=voter.user)
    assert not Ballot.objects.exists()


def test_voting_after_staff_closed_early_is_refused(budget, voter):
    from ideas.budgeting.tests.factories import designer

    actions.voting_close_early(user=designer(budget.process), process=budget.process)
    budget.refresh_from_db()
    budget.process.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.ballot_cast(budget=budget, choices=[1], user=voter.user)


def test_an_account_that_is_not_verified_is_told_how_to_get_verified(budget):
    with pytest.raises(PermissionDenied, match="counter"):
        actions.ballot_cast(budget=budget, choices=[1], user=UserFactory())
    assert not Ballot.objects.exists()


def test_too_young_voters_are_refused(budget, voter):
    process = budget.process
    process.min_age = 16
    process.save()
    voter.birth_year = process.voting_close.year - 10
    voter.save()
    with pytest.raises(PermissionDenied, match="16"):
        actions.ballot_cast(budget=budget, choices=[1], user=voter.user)


def test_only_counter_staff_take_ballots_at_a_counter(budget, voter):
    with pytest.raises(PermissionDenied):
        actions.ballot_cast(
            budget=budget, choices=[1], voter=voter, staff=UserFactory(), channel=Channel.COUNTER
        )


# -- paper ---------------------------------------------------------------------------------


def test_a_paper_ballot_counts_only_once_a_second_member_of_staff_confirms_it(budget, voter):
    first, second = counter_staff(budget.process), counter_staff(budget.process)
    ballot = actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1, 2])
    assert not ballot.is_counted
    assert selectors.turnout(budget).total.value == 0
    assert list(selectors.pending_paper_ballots(budget.process)) == [ballot]
    confirmed = actions.paper_ballot_confirm(staff=second, ballot=ballot, choices=[2, 1])
    assert confirmed.is_counted
    assert confirmed.confirmed_by == second
    assert selectors.turnout(budget).total.value == 1


def test_the_member_of_staff_who_entered_a_paper_ballot_cannot_confirm_it(budget, voter):
    first = counter_staff(budget.process)
    ballot = actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    with pytest.raises(PermissionDenied, match="second"):
        actions.paper_ballot_confirm(staff=first, ballot=ballot, choices=[1])
    ballot.refresh_from_db()
    assert not ballot.is_counted


def test_the_database_refuses_a_paper_ballot_confirmed_by_whoever_entered_it(budget, voter):
    first = counter_staff(budget.process)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            budget=budget,
            voter=voter,
            channel=Channel.PAPER,
            choices={"1": 1},
            entered_by=first,
            confirmed_by=first,
            is_counted=True,
        )


def test_a_confirmation_that_differs_from_the_first_entry_is_refused(budget, voter):
    first, second = counter_staff(budget.process), counter_staff(budget.process)
    ballot = actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    with pytest.raises(ValidationError, match="differ"):
        actions.paper_ballot_confirm(staff=second, ballot=ballot, choices=[2])
    ballot.refresh_from_db()
    assert not ballot.is_counted


def test_a_paper_ballot_for_someone_who_voted_online_is_refused(budget, voter):
    actions.ballot_cast(budget=budget, choices=[3], user=voter.user)
    with pytest.raises(ValidationError, match="already voted"):
        actions.paper_ballot_enter(
            staff=counter_staff(budget.process), budget=budget, voter=voter, choices=[1]
        )
    assert Ballot.objects.get().choices == {"3": 1}


def test_a_second_paper_ballot_for_the_same_person_is_refused(budget, voter):
    first = counter_staff(budget.process)
    actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    with pytest.raises(ValidationError, match="waiting for confirmation"):
        actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[2])
    assert Ballot.objects.count() == 1


def test_a_web_ballot_after_an_unconfirmed_paper_one_replaces_it_and_counts(budget, voter):
    first, second = counter_staff(budget.process), counter_staff(budget.process)
    paper = actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    actions.ballot_cast(budget=budget, choices=[2], user=voter.user)
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.is_counted, ballot.choices) == ("web", True, {"2": 1})
    with pytest.raises(ValidationError):
        actions.paper_ballot_confirm(staff=second, ballot=paper, choices=[1])


def test_paper_ballots_are_entered_after_voting_closes_but_not_after_results(budget, voter):
    first = counter_staff(budget.process)
    set_phase(budget.process, Phase.COUNTING)
    actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    set_phase(budget.process, Phase.RESULTS)
    other = VoterFactory(process=budget.process)
    with pytest.raises(PermissionDenied):
        actions.paper_ballot_enter(staff=first, budget=budget, voter=other, choices=[1])


def test_a_wrong_paper_entry_can_be_discarded_before_confirmation(budget, voter):
    first = counter_staff(budget.process)
    ballot = actions.paper_ballot_enter(staff=first, budget=budget, voter=voter, choices=[1])
    actions.paper_ballot_discard(staff=first, ballot=ballot)
    assert not Ballot.objects.exists()


def test_citizens_cannot_enter_paper_ballots(budget, voter):
    with pytest.raises(PermissionDenied):
        actions.paper_ballot_enter(staff=voter.user, budget=budget, voter=voter, choices=[1])


def test_a_counted_ballot_publishes_turnout_after_commit(
    budget, voter, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "realtime.events._send", lambda stream, type_, object_id, data: sent.append((stream, type_))
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.ballot_cast(budget=budget, choices=[1], user=voter.user)
    assert sent == [(f"budget:{budget.pk}", "budget.turnout")]


def test_a_district_budget_takes_only_that_districts_residents_and_turnout_says_where():
    from community.places.tests.factories import DistrictFactory

    north, south = DistrictFactory(name="North"), DistrictFactory(name="South")
    budget = BudgetFactory(district=north)
    ProjectFactory(budget=budget)
    outsider = VoterFactory(process=budget.process, district=south)
    with pytest.raises(PermissionDenied, match="North"):
        actions.ballot_cast(budget=budget, choices=[1], user=outsider.user)
    city = BudgetFactory(process=budget.process)
    ProjectFactory(budget=city)
    for district in [north] * 6 + [south] * 2:
        voter = VoterFactory(process=budget.process, district=district)
        actions.ballot_cast(budget=city, choices=[2], user=voter.user)
    rows = {row.name: row.cell for row in selectors.turnout(city).districts}
    assert rows["North"].value == 6 and rows["North"].shown is False  # secondary suppression
    assert rows["South"].shown is False
    assert selectors.turnout(city).total.value == 8
