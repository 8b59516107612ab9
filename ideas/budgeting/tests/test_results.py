"""Counting, publishing and open data: results are computed by the engine from counted
ballots only, explained per project, and published (API, pabulib file) without voters."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from ideas.budgeting import actions, opendata
from ideas.budgeting.engine.pabulib import read_pb
from ideas.budgeting.models import Ballot, BallotKind, BudgetResult, Channel, CountingRule, Phase
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProjectFactory,
    VoterFactory,
    counter_staff,
    designer,
    set_phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    """Budget 100,000; projects 1 (60k), 2 (50k), 3 (30k). Approvals: 1 by 4, 2 by 3, 3 by 2."""
    budget = BudgetFactory(amount=100_000, max_choices=3, rule=CountingRule.GREEDY)
    for cost in (60_000, 50_000, 30_000):
        ProjectFactory(budget=budget, cost=cost)
    ballots = [[1, 2], [1, 2], [1, 3], [1], [2, 3]]
    for choices in ballots:
        voter = VoterFactory(process=budget.process)
        actions.ballot_cast(budget=budget, choices=choices, user=voter.user)
    return budget


def test_counting_waits_until_voting_closes(budget):
    with pytest.raises(PermissionDenied, match="after voting closes"):
        actions.results_compute(user=designer(budget.process), budget=budget)
    assert not BudgetResult.objects.exists()


def test_greedy_result_is_stored_with_each_projects_fate(budget):
    set_phase(budget.process, Phase.COUNTING)
    result = actions.results_compute(user=designer(budget.process), budget=budget)
    assert result.selected == ["1", "3"]
    assert result.spent == 90_000
    assert result.ballots_counted == 5
    assert result.fates["1"]["reason"] == "won" and result.fates["1"]["score"] == 4
    skipped = result.fates["2"]
    assert (skipped["reason"], skipped["remaining_before"]) == ("skipped-no-longer-fits", 40_000)


def test_unconfirmed_paper_ballots_are_not_counted_and_block_publishing(budget):
    clerk = counter_staff(budget.process)
    voter = VoterFactory(process=budget.process)
    set_phase(budget.process, Phase.COUNTING)
    paper = actions.paper_ballot_enter(staff=clerk, budget=budget, voter=voter, choices=[3])
    boss = designer(budget.process)
    result = actions.results_compute(user=boss, budget=budget)
    assert result.ballots_counted == 5
    with pytest.raises(ValidationError, match="second member of staff"):
        actions.results_publish(user=boss, process=budget.process)
    actions.paper_ballot_confirm(staff=counter_staff(budget.process), ballot=paper, choices=[3])
    with pytest.raises(ValidationError, match="count again"):
        actions.results_publish(user=boss, process=budget.process)
    assert actions.results_compute(user=boss, budget=budget).ballots_counted == 6
    process = actions.results_publish(user=boss, process=budget.process)
    assert process.phase == Phase.RESULTS


def test_publishing_needs_every_budget_counted(budget):
    BudgetFactory(process=budget.process, name="Streets")
    set_phase(budget.process, Phase.COUNTING)
    boss = designer(budget.process)
    actions.results_compute(user=boss, budget=budget)
    with pytest.raises(ValidationError, match="Streets"):
        actions.results_publish(user=boss, process=budget.process)


@pytest.fixture
def published(budget):
    set_phase(budget.process, Phase.COUNTING)
    boss = designer(budget.process)
    actions.results_compute(user=boss, budget=budget)
    actions.results_publish(user=boss, process=budget.process)
    return budget


def test_the_pabulib_file_reads_back_with_the_selected_projects_and_anonymous_votes(
    published, tmp_path
):
    text = opendata.pabulib_text(published)
    election = read_pb(text)
    assert election.selected == ["1", "3"]
    assert election.budget == 100_000
    assert len(election.ballots) == 5
    assert sorted(sorted(b.choices) for b in election.ballots) == sorted(
        sorted(str(n) for n in c) for c in [[1, 2], [1, 2], [1, 3], [1], [2, 3]]
    )
    for voter in published.process.voters.all():
        assert voter.key not in text
    # Researchers' own tool reads it too.
    from pabutools.election import parse_pabulib

    path = tmp_path / "budget.pb"
    path.write_text(text)
    instance, profile = parse_pabulib(str(path))
    assert instance.budget_limit == 100_000
    assert len(profile) == 5


def test_the_api_publishes_results_and_anonymised_ballots_once_results_are_out(budget):
    api = APIClient()
    assert api.get("/api/v1/budget-results/").json()["results"] == []
    assert api.get(f"/api/v1/budget-ballots/?budget={budget.pk}").status_code == 404
    assert api.get(f"/api/v1/budgets/{budget.pk}/pabulib.pb").status_code == 404
    set_phase(budget.process, Phase.COUNTING)
    boss = designer(budget.process)
    actions.results_compute(user=boss, budget=budget)
    actions.results_publish(user=boss, process=budget.process)
    results = api.get("/api/v1/budget-results/").json()["results"]
    assert [r["selected"] for r in results] == [["1", "3"]]
    ballots = api.get(f"/api/v1/budget-ballots/?budget={budget.pk}").json()
    assert [sorted(b) for b in ballots] == [["budget", "choices", "number"]] * 5
    assert [b["number"] for b in ballots] == [1, 2, 3, 4, 5]
    pb = api.get(f"/api/v1/budgets/{budget.pk}/pabulib.pb")
    assert pb.status_code == 200
    assert read_pb(pb.content.decode()).selected == ["1", "3"]
    listed = api.get("/api/v1/budgets/").json()["results"][0]
    assert listed["pabulib"].endswith(f"/api/v1/budgets/{budget.pk}/pabulib.pb")


def test_budget_ballots_need_a_budget_id():
    response = APIClient().get("/api/v1/budget-ballots/")
    assert response.status_code == 400
    assert "?budget=" in str(response.json())


def test_equal_shares_stores_who_paid_by_ballot_number(budget):
    budget.rule = CountingRule.EQUAL_SHARES
    budget.save()
    set_phase(budget.process, Phase.COUNTING)
    result = actions.results_compute(user=designer(budget.process), budget=budget)
    winner = result.fates[result.selected[0]]
    assert winner["paid_by"]
    assert all(1 <= int(k) + 1 <= 5 for k in winner["paid_by"])
    public = opendata.public_fates(result)[result.selected[0]]
    assert "paid_by" not in public and public["paid_by_ballots"] == len(winner["paid_by"])


def test_only_counted_ballots_are_in_open_data(published):
    voter = VoterFactory(process=published.process)
    Ballot.objects.create(
        budget=published, voter=voter, channel=Channel.PAPER, choices={"2": 1}, is_counted=False,
        entered_by=counter_staff(published.process),
    )  # fmt: skip
    assert len(list(opendata.anonymous_ballots(published))) == 5


@pytest.mark.parametrize(
    ("kind", "rule", "meta"),
    [
        (BallotKind.KNAPSACK, CountingRule.GREEDY_STOP, ("approval", "greedy-no-skip")),
        (BallotKind.APPROVAL, CountingRule.EQUAL_SHARES, ("approval", "equalshares/add1")),
    ],
)
def test_exports_use_pabulib_names_so_pabutools_reads_them(budget, tmp_path, kind, rule, meta):
    from pabutools.election import parse_pabulib

    budget.ballot_kind, budget.rule, budget.max_choices = kind, rule, None
    budget.save()
    set_phase(budget.process, Phase.COUNTING)
    boss = designer(budget.process)
    actions.results_compute(user=boss, budget=budget)
    actions.results_publish(user=boss, process=budget.process)
    text = opendata.pabulib_text(budget)
    election = read_pb(text)
    assert (election.meta["vote_type"], election.meta["rule"]) == meta
    path = tmp_path / "budget.pb"
    path.write_text(text)
    _instance, profile = parse_pabulib(str(path))
    assert len(profile) == 5
