"""The counting rules against real elections (pabulib), against pabutools, and on small
elections whose outcome can be worked out by hand; ballot validation messages."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, parse_pabulib
from pabutools.election import Project as RefProject
from pabutools.rules import (
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.tiebreaking import TieBreakingRule

from ideas.budgeting.engine import (
    Ballot,
    BallotKind,
    BallotRules,
    Project,
    Reason,
    RuleName,
    compute,
    validate_ballot,
)
from ideas.budgeting.engine.pabulib import Election, read_pb
from ideas.budgeting.engine.rules import equal_shares, scores

DATA = Path(__file__).parent / "data"
FILES = sorted(p.name for p in DATA.glob("*.pb"))
SWIECIE = "Poland_Swiecie_2023.pb"
WESOLA = "Poland_Warszawa_2024_Wesola.pb"
DIEPPE = "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb"
TOULOUSE = "France_Toulouse_2024.pb"


def load(name: str) -> Election:
    return read_pb((DATA / name).read_text(encoding="utf-8"))


def our_tie_breaking(projects: list[Project], ballots: list[Ballot]) -> TieBreakingRule:
    """pabutools' tie-breaking set to ours: more votes, then cheaper, then listed first."""
    score = scores(projects, ballots, BallotKind.APPROVAL)
    position = {p.id: i for i, p in enumerate(projects)}
    return TieBreakingRule(lambda _i, _p, proj: (-score[proj.name], proj.cost, position[proj.name]))


def reference(
    projects: list[Project], ballots: list[Ballot], budget: int | Fraction
) -> tuple[Instance, ApprovalProfile]:
    refs = {p.id: RefProject(p.id, p.cost) for p in projects}
    instance = Instance(refs.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [ApprovalBallot(refs[pid] for pid in b.choices) for b in ballots], instance=instance
    )
    return instance, profile


# --- real elections ---------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_scores_are_the_votes_column_of_every_real_election(name):
    election = load(name)
    score = scores(election.projects, election.ballots, election.kind)
    assert score == {pid: int(meta["votes"]) for pid, meta in election.project_meta.items()}


def test_equal_shares_with_add1_selects_exactly_what_swiecie_funded():
    election = load(SWIECIE)
    assert election.meta["rule"] == "equalshares/add1"
    result = compute(RuleName.EQUAL_SHARES, election.projects, election.ballots, election.budget)
    assert sorted(result.selected) == sorted(election.selected or [])
    assert result.spent == sum(p.cost for p in election.projects if p.id in result.selected)
    assert result.spent <= election.budget
    # The completion raised each voter's share above the budget / voters it started from.
    assert result.voter_share > election.budget / len(election.ballots)
    reasons = {f.reason for f in result.fates.values() if f.selected}
    assert reasons == {Reason.WON, Reason.WON_COMPLETION}


def test_swiecie_needs_cost_utilities_approval_utilities_fund_something_else():
    election = load(SWIECIE)
    by_cost = equal_shares(election.projects, election.ballots, election.budget)
    by_approval = equal_shares(
        election.projects, election.ballots, election.budget, utility="approval"
    )
    funded = set(election.selected or [])
    assert set(by_cost.selected) == funded
    assert set(by_approval.selected) != funded
    assert "c21" in funded - set(by_approval.selected)  # the fire engine, 291,000 PLN


def test_greedy_selects_exactly_what_wesola_funded():
    election = load(WESOLA)
    assert election.meta["rule"] == "greedy-exclusive"
    result = compute(RuleName.GREEDY, election.projects, election.ballots, election.budget)
    assert sorted(result.selected) == sorted(election.selected or [])
    # 955 (342 votes) was the first project that no longer fitted: 126,797 PLN were left.
    fate = result.fates["955"]
    assert (fate.reason, fate.remaining_before) == (Reason.SKIPPED_NO_LONGER_FITS, 126_797)
    assert result.fates["520"].reason == Reason.WON


def test_greedy_stop_on_wesola_stops_at_the_first_project_that_does_not_fit():
    election = load(WESOLA)
    result = compute(RuleName.GREEDY_STOP, election.projects, election.ballots, election.budget)
    assert len(result.selected) == 9
    assert result.spent == 887_474
    assert result.fates["955"].reason == Reason.STOPPED
    assert result.fates["520"].reason == Reason.STOPPED
    assert not result.fates["520"].selected


def test_toulouse_greedy_spends_the_whole_budget_by_most_votes_first():
    """Toulouse's file names no `selected` column: its rule is greedy, checked against
    pabutools below; here the outcome's shape."""
    election = load(TOULOUSE)
    assert election.selected is None
    result = compute(RuleName.GREEDY, election.projects, election.ballots, election.budget)
    assert result.spent <= election.budget
    fates = sorted(result.fates.values(), key=lambda f: f.rank)
    assert fates[0].selected and fates[0].score == max(f.score for f in fates)
    for fate in fates:
        cost = next(p.cost for p in election.projects if p.id == fate.project)
        assert fate.selected == (fate.reason == Reason.WON)
        if fate.reason == Reason.SKIPPED_NO_LONGER_FITS:
            assert cost > fate.remaining_before


@pytest.mark.parametrize("name", FILES)
def test_greedy_agrees_with_pabutools_on_every_real_election(name):
    election = load(name)
    instance, profile = parse_pabulib(str(DATA / name))
    theirs = greedy_utilitarian_welfare(
        instance,
        profile,
        sat_class=Cost_Sat,
        tie_breaking=our_tie_breaking(election.projects, election.ballots),
    )
    ours = compute(RuleName.GREEDY, election.projects, election.ballots, election.budget)
    assert sorted(ours.selected) == sorted(p.name for p in theirs)


def test_equal_shares_agrees_with_pabutools_on_swiecie_at_both_ends_of_add1():
    """pabutools' add1 takes about a minute here (exact fractions), so compare the two runs
    that decide: the first (budget / voters) and the last (the share add1 stopped at), and
    check one more raise would overspend or the outcome is exhaustive."""
    election = load(SWIECIE)
    projects, ballots, budget = election.projects, election.ballots, election.budget
    tie = our_tie_breaking(projects, ballots)
    n = len(ballots)

    first = equal_shares(projects, ballots, budget, completion=False)
    instance, profile = parse_pabulib(str(DATA / SWIECIE))
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=tie)
    assert list(first.selected) == [p.name for p in theirs]

    final = equal_shares(projects, ballots, budget)
    raises = round(final.voter_share - budget / n)
    virtual = budget + raises * n
    instance, profile = reference(projects, ballots, virtual)
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=tie)
    assert list(final.selected) == [p.name for p in theirs]
    instance, profile = reference(projects, ballots, virtual + n)
    after = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, tie_breaking=tie)
    left = budget - final.spent
    exhaustive = all(p.cost > left for p in projects if p.id not in final.selected)
    assert exhaustive or sum(p.cost for p in after) > budget


def test_equal_shares_with_add1_agrees_with_pabutools_on_dieppe():
    election = load(DIEPPE)
    projects, ballots, budget = election.projects, election.ballots, election.budget
    instance, profile = parse_pabulib(str(DATA / DIEPPE))
    theirs = exhaustion_by_budget_increase(
        instance,
        profile,
        method_of_equal_shares,
        {"sat_class": Cost_Sat, "tie_breaking": our_tie_breaking(projects, ballots)},
        budget_step=len(ballots),
    )
    ours = compute(RuleName.EQUAL_SHARES, projects, ballots, budget)
    assert list(ours.selected) == [p.name for p in theirs]


@pytest.mark.parametrize("name", [SWIECIE, DIEPPE])
def test_equal_shares_explains_who_paid_and_payments_add_up_to_the_cost(name):
    election = load(name)
    result = compute(RuleName.EQUAL_SHARES, election.projects, election.ballots, election.budget)
    for project in election.projects:
        fate = result.fates[project.id]
        if not fate.selected:
            assert fate.paid_by == {}
            continue
        assert sum(fate.paid_by.values()) == pytest.approx(project.cost, rel=1e-9)
        assert all(project.id in election.ballots[v].choices for v in fate.paid_by)
        assert max(fate.paid_by.values()) <= result.voter_share * (1 + 1e-9)
    # Nobody pays more than their share over all projects.
    spent: dict[int, float] = {}
    for fate in result.fates.values():
        for v, amount in fate.paid_by.items():
            spent[v] = spent.get(v, 0.0) + amount
    assert max(spent.values()) <= result.voter_share * (1 + 1e-9)


# --- small elections, by hand -----------------------------------------------------------


def ballots(*choices: str) -> list[Ballot]:
    return [Ballot(choices=dict.fromkeys(c.split(), 1)) for c in choices]


def test_greedy_skips_a_project_that_no_longer_fits_and_says_how_much_was_left():
    projects = [Project("a", 60), Project("b", 50), Project("c", 30)]
    votes = ballots("a b", "a b", "a c", "a")
    result = compute(RuleName.GREEDY, projects, votes, 100)
    assert result.selected == ("a", "c")
    assert result.spent == 90
    skipped = result.fates["b"]
    assert (skipped.reason, skipped.remaining_before, skipped.score) == (
        Reason.SKIPPED_NO_LONGER_FITS,
        40,
        2,
    )
    assert [result.fates[p].rank for p in "abc"] == [1, 2, 3]
    assert result.fates["c"].remaining_before == 40


def test_greedy_stop_funds_nothing_after_the_first_project_that_does_not_fit():
    projects = [Project("a", 60), Project("b", 50), Project("c", 30)]
    result = compute(RuleName.GREEDY_STOP, projects, ballots("a b", "a b", "a c", "a"), 100)
    assert result.selected == ("a",)
    assert result.fates["b"].reason == Reason.STOPPED
    assert result.fates["c"].reason == Reason.STOPPED


def test_a_project_costing_more_than_the_budget_is_too_expensive_and_does_not_stop_counting():
    projects = [Project("big", 150), Project("a", 60)]
    result = compute(RuleName.GREEDY_STOP, projects, ballots("big a", "big"), 100)
    assert result.selected == ("a",)
    assert result.fates["big"].reason == Reason.TOO_EXPENSIVE


def test_a_project_nobody_chose_is_not_funded_even_if_money_is_left():
    projects = [Project("a", 10), Project("unloved", 10)]
    result = compute(RuleName.GREEDY, projects, ballots("a"), 100)
    assert result.selected == ("a",)
    assert result.fates["unloved"].reason == Reason.NOT_REACHED


def test_ties_go_to_the_cheaper_project_then_to_the_one_listed_first():
    projects = [Project("x", 60), Project("y", 50), Project("z", 50)]
    result = compute(RuleName.GREEDY, projects, ballots("x y z"), 100)
    assert result.selected == ("y", "z")
    assert [result.fates[p].rank for p in "yzx"] == [1, 2, 3]


def test_cumulative_scores_are_points_and_ranked_scores_are_borda():
    projects = [Project("a", 10), Project("b", 10), Project("c", 10)]
    points = [Ballot({"a": 5, "b": 1}), Ballot({"b": 3})]
    assert scores(projects, points, BallotKind.CUMULATIVE) == {"a": 5, "b": 4, "c": 0}
    ranks = [Ballot({"a": 1, "b": 2, "c": 3}), Ballot({"c": 1})]
    # Ranking three: 3, 2, 1 points; ranking one: 1 point.
    assert scores(projects, ranks, BallotKind.RANKED) == {"a": 3, "b": 2, "c": 2}
    result = compute(RuleName.GREEDY, projects, ranks, 20, kind=BallotKind.RANKED)
    assert result.selected == ("a", "b")  # b and c tie on 2; same cost; b listed first


def test_equal_shares_funds_a_minority_its_share_where_greedy_gives_all_to_the_majority():
    """Three voters want a, b and d, one wants c; each voter's share is 25. Greedy spends
    everything on the majority; under Equal Shares the majority's shares buy a and b (10 each
    a project) but not d, and the fourth voter's share buys c."""
    projects = [Project("a", 30), Project("b", 30), Project("c", 25), Project("d", 30)]
    votes = ballots("a b d", "a b d", "a b d", "c")
    greedy_result = compute(RuleName.GREEDY, projects, votes, 100)
    assert greedy_result.selected == ("a", "b", "d")
    mes = compute(RuleName.EQUAL_SHARES, projects, votes, 100)
    assert set(mes.selected) == {"a", "b", "c"}
    c = mes.fates["c"]
    assert dict(c.paid_by) == {3: pytest.approx(25)}  # its one supporter paid it all
    assert dict(mes.fates["a"].paid_by) == {0: 10, 1: 10, 2: 10}
    assert mes.fates["d"].reason == Reason.NOT_REACHED


def test_equal_shares_with_points_shares_the_cost_in_proportion_to_points():
    projects = [Project("a", 40)]
    votes = [Ballot({"a": 3}), Ballot({"a": 1})]
    result = compute(RuleName.EQUAL_SHARES, projects, votes, 100, kind=BallotKind.CUMULATIVE)
    assert result.fates["a"].paid_by == {0: pytest.approx(30), 1: pytest.approx(10)}


def test_no_ballots_fund_nothing():
    result = compute(RuleName.EQUAL_SHARES, [Project("a", 10)], [], 100)
    assert result.selected == ()
    assert result.fates["a"].reason == Reason.NOT_REACHED


def test_project_ids_must_be_unique_and_costs_positive():
    with pytest.raises(ValueError, match="unique"):
        compute(RuleName.GREEDY, [Project("a", 1), Project("a", 2)], [], 10)
    with pytest.raises(ValueError, match="positive"):
        compute(RuleName.GREEDY, [Project("a", 0)], [], 10)


def test_add1_ignores_money_left_that_only_a_project_nobody_chose_could_use():
    projects = [Project("a", 30), Project("unloved", 10)]
    result = compute(RuleName.EQUAL_SHARES, projects, ballots("a", "a"), 100)
    assert result.selected == ("a",)
    assert result.voter_share == 50  # no raise: nothing anyone chose is left to buy


# --- random small elections against pabutools -------------------------------------------


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[Project], list[Ballot], int]:
    n_projects = draw(st.integers(2, 6))
    projects = [
        Project(f"p{i}", draw(st.sampled_from([10, 20, 30, 40, 60]))) for i in range(n_projects)
    ]
    ids = [p.id for p in projects]
    votes = draw(
        st.lists(
            st.lists(st.sampled_from(ids), min_size=1, max_size=n_projects, unique=True),
            min_size=1,
            max_size=8,
        )
    )
    # Every project chosen at least once: pabutools' add1 would otherwise raise the budget
    # until its bound waiting for a project nobody can pay for (ours ignores such projects).
    votes.append(ids)
    budget = draw(st.integers(10, 120))
    return projects, [Ballot(dict.fromkeys(v, 1)) for v in votes], budget


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_greedy_and_equal_shares_agree_with_pabutools_on_random_elections_with_ties(case):
    projects, votes, budget = case
    tie = our_tie_breaking(projects, votes)
    instance, profile = reference(projects, votes, budget)
    greedy_ref = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, tie_breaking=tie)
    # pabutools' greedy also funds projects nobody chose if money is left (last, as their
    # score is 0); ours does not.
    score = scores(projects, votes, BallotKind.APPROVAL)
    assert sorted(compute(RuleName.GREEDY, projects, votes, budget).selected) == sorted(
        p.name for p in greedy_ref if score[p.name] > 0
    )
    mes_ref = exhaustion_by_budget_increase(
        instance,
        profile,
        method_of_equal_shares,
        {"sat_class": Cost_Sat, "tie_breaking": tie},
        budget_step=len(votes),
    )
    ours = compute(RuleName.EQUAL_SHARES, projects, votes, budget)
    assert list(ours.selected) == [p.name for p in mes_ref]


# --- ballot validation --------------------------------------------------------------------

COSTS = {"1": 40_000, "2": 70_000, "3": 10_000, "4": 5_000}


def check(rules: BallotRules, choices: dict[str, int]) -> list[str]:
    with translation.override("en"):
        return validate_ballot(rules, choices, COSTS)


def test_a_valid_approval_ballot_has_no_messages():
    rules = BallotRules(BallotKind.APPROVAL, 100_000, min_choices=1, max_choices=3)
    assert check(rules, {"1": 1, "2": 1, "3": 1}) == []


def test_too_many_choices_names_the_maximum():
    rules = BallotRules(BallotKind.APPROVAL, 100_000, max_choices=2)
    assert check(rules, {"1": 1, "2": 1, "3": 1}) == ["Choose at most 2 projects."]


def test_too_few_choices_names_the_minimum_and_an_empty_ballot_is_refused():
    rules = BallotRules(BallotKind.APPROVAL, 100_000, min_choices=2)
    assert check(rules, {"1": 1}) == ["Choose at least 2 projects."]
    assert check(BallotRules(BallotKind.APPROVAL, 100_000), {}) == ["Choose at least 1 project."]


def test_a_knapsack_ballot_over_the_budget_names_both_amounts():
    rules = BallotRules(BallotKind.KNAPSACK, 100_000)
    assert check(rules, {"1": 1, "2": 1}) == [
        "Your choices cost 110,000 but the budget is 100,000."
    ]
    assert check(rules, {"1": 1, "3": 1, "4": 1}) == []


def test_an_unknown_project_is_named():
    rules = BallotRules(BallotKind.APPROVAL, 100_000)
    assert check(rules, {"99": 1}) == ["“99” is not a project on this ballot."]


def test_approval_weights_other_than_one_are_refused():
    rules = BallotRules(BallotKind.APPROVAL, 100_000)
    assert check(rules, {"1": 2}) == ["Each project can be chosen only once."]


def test_cumulative_points_over_the_allowance_and_negative_points_are_refused():
    rules = BallotRules(BallotKind.CUMULATIVE, 100_000, points=10)
    assert check(rules, {"1": 6, "2": 4}) == []
    assert check(rules, {"1": 8, "2": 4}) == ["You gave 12 points but you have 10 points."]
    assert check(rules, {"1": 5, "2": -1}) == ["Points cannot be negative."]
    assert check(rules, {"1": 0}) == ["Choose at least 1 project."]


def test_ranked_ballots_need_distinct_ranks_without_gaps():
    rules = BallotRules(BallotKind.RANKED, 100_000, max_choices=3)
    assert check(rules, {"1": 1, "2": 2}) == []
    assert check(rules, {"1": 1, "2": 1}) == ["Each rank can be given to only one project."]
    assert check(rules, {"1": 1, "2": 3}) == [
        "Ranks must run 1, 2, 3 … with no gaps, starting at 1."
    ]
    assert check(rules, {"1": 1, "2": 2, "3": 3, "4": 4}) == ["Choose at most 3 projects."]


def test_every_broken_limit_gets_its_own_message():
    rules = BallotRules(BallotKind.KNAPSACK, 100_000, max_choices=1)
    assert check(rules, {"1": 1, "2": 1, "x": 1}) == [
        "“x” is not a project on this ballot.",
        "Choose at most 1 project.",
        "Your choices cost 110,000 but the budget is 100,000.",
    ]


def test_cumulative_rules_without_points_are_a_configuration_error():
    with pytest.raises(ValueError):
        validate_ballot(BallotRules(BallotKind.CUMULATIVE, 100), {"1": 1}, COSTS)


def test_synthetic_elections_are_reproducible_and_within_the_choice_limits():
    from ideas.budgeting.engine.simulate import approval_election

    one = approval_election(500, 20, max_choices=4, seed=7)
    assert one == approval_election(500, 20, max_choices=4, seed=7)
    assert len(one.ballots) == 500 and len(one.projects) == 20
    assert all(1 <= len(b.choices) <= 4 for b in one.ballots)
    assert one.budget == sum(p.cost for p in one.projects) // 4
    result = compute(RuleName.EQUAL_SHARES, one.projects, one.ballots, one.budget)
    assert 0 < result.spent <= one.budget


@st.composite
def weighted_elections(draw: st.DrawFn) -> tuple[list[Project], list[Ballot], int, BallotKind]:
    kind = draw(st.sampled_from([BallotKind.CUMULATIVE, BallotKind.RANKED]))
    n_projects = draw(st.integers(2, 6))
    projects = [Project(f"p{i}", draw(st.integers(5, 60))) for i in range(n_projects)]
    ids = [p.id for p in projects]
    votes = []
    for chosen in draw(
        st.lists(
            st.lists(st.sampled_from(ids), min_size=1, max_size=n_projects, unique=True),
            min_size=1,
            max_size=10,
        )
    ):
        if kind == BallotKind.RANKED:
            votes.append(Ballot({pid: rank for rank, pid in enumerate(chosen, start=1)}))
        else:
            votes.append(Ballot({pid: draw(st.integers(1, 5)) for pid in chosen}))
    return projects, votes, draw(st.integers(10, 150)), kind


@settings(max_examples=60, deadline=None)
@given(weighted_elections())
def test_every_rule_stays_within_budget_and_equal_shares_payments_add_up(case):
    projects, votes, budget, kind = case
    cost = {p.id: p.cost for p in projects}
    for rule in RuleName:
        result = compute(rule, projects, votes, budget, kind=kind)
        assert result.spent == sum(cost[pid] for pid in result.selected) <= budget
        assert {pid for pid, f in result.fates.items() if f.selected} == set(result.selected)
        assert sorted(f.rank for f in result.fates.values()) == list(range(1, len(projects) + 1))
    mes = compute(RuleName.EQUAL_SHARES, projects, votes, budget, kind=kind)
    paid: dict[int, float] = {}
    for pid in mes.selected:
        fate = mes.fates[pid]
        assert sum(fate.paid_by.values()) == pytest.approx(cost[pid], rel=1e-9)
        assert all(pid in votes[v].choices for v in fate.paid_by)
        for v, amount in fate.paid_by.items():
            paid[v] = paid.get(v, 0.0) + amount
    assert all(total <= mes.voter_share * (1 + 1e-9) for total in paid.values())
