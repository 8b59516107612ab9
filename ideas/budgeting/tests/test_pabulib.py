"""Reading and writing pabulib .pb files: the four real files round-trip, pabutools reads
what we write, and malformed files are refused with a message saying where."""

from __future__ import annotations

from pathlib import Path

import pytest
from pabutools.election import parse_pabulib

from ideas.budgeting.engine import Ballot, BallotKind, Project, RuleName
from ideas.budgeting.engine.pabulib import (
    PABULIB_RULE,
    PABULIB_VOTE_TYPE,
    Election,
    PabulibError,
    read_pb,
    rule_from_pabulib,
    write_pb,
)

DATA = Path(__file__).parent / "data"
FILES = sorted(p.name for p in DATA.glob("*.pb"))


def load(name: str) -> Election:
    return read_pb((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads_with_its_projects_ballots_and_budget(name):
    election = load(name)
    assert len(election.projects) == int(election.meta["num_projects"])
    assert len(election.ballots) == int(election.meta["num_votes"])
    assert election.budget == int(election.meta["budget"])
    assert election.kind == BallotKind.APPROVAL
    assert all(set(b.choices.values()) == {1} for b in election.ballots)


def test_costs_written_as_decimals_read_as_whole_units():
    toulouse = load("France_Toulouse_2024.pb")
    project = next(p for p in toulouse.projects if p.id == "386")
    assert project.cost == 360  # "360.0" in the file
    assert project.name == "Stationnements vélos allées Maurice Sarraut"


def test_selected_column_and_voter_columns_are_kept():
    wesola = load("Poland_Warszawa_2024_Wesola.pb")
    assert wesola.selected is not None and "404" in wesola.selected and "955" not in wesola.selected
    assert set(wesola.voter_meta[0]) == {"voter_id", "age", "sex"}
    assert load("France_Toulouse_2024.pb").selected is None


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_round_trips(name):
    election = load(name)
    assert read_pb(write_pb(election)) == election


@pytest.mark.parametrize("name", FILES)
def test_pabutools_reads_what_we_write(name, tmp_path):
    election = load(name)
    path = tmp_path / name
    path.write_text(write_pb(election), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    original_instance, original_profile = parse_pabulib(str(DATA / name))
    assert instance.budget_limit == original_instance.budget_limit
    assert sorted((p.name, p.cost) for p in instance) == sorted(
        (p.name, p.cost) for p in original_instance
    )
    assert [sorted(p.name for p in b) for b in profile] == [
        sorted(p.name for p in b) for b in original_profile
    ]


def test_ranked_and_cumulative_ballots_round_trip_and_pabutools_reads_them(tmp_path):
    projects = [Project("1", 100, "Trees; benches"), Project("2", 50, 'The "green" path')]
    ranked = Election(
        meta={"description": "test", "budget": "120", "vote_type": "ordinal"},
        projects=projects,
        ballots=[Ballot({"2": 1, "1": 2}), Ballot({"1": 1})],
    )
    text = write_pb(ranked)
    assert "2,1" in text  # most preferred first
    back = read_pb(text)
    assert back.ballots == ranked.ballots
    assert [p.name for p in back.projects] == ["Trees; benches", 'The "green" path']
    assert back.meta["num_votes"] == "2"  # added for pabutools

    cumulative = Election(
        meta={"budget": "120", "vote_type": "cumulative", "max_sum_points": "10"},
        projects=projects,
        ballots=[Ballot({"1": 7, "2": 3}), Ballot({"2": 10})],
    )
    back = read_pb(write_pb(cumulative))
    assert back.ballots == cumulative.ballots
    path = tmp_path / "cumulative.pb"
    path.write_text(write_pb(cumulative), encoding="utf-8")
    _instance, profile = parse_pabulib(str(path))
    assert profile.num_ballots() == 2


def test_text_that_looks_like_a_formula_is_written_literally():
    election = Election(
        meta={"budget": "10", "vote_type": "approval"},
        projects=[Project("1", 5, "=HYPERLINK(1)")],
        ballots=[Ballot({"1": 1})],
    )
    assert "1;5;=HYPERLINK(1)" in write_pb(election)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("PROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n", "start with a META"),
        ("META\nkey;value\nbudget;10\nVOTES\nvoter_id;vote\n1;1\n", "PROJECTS section"),
        (
            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;five\n"
            "VOTES\nvoter_id;vote\n1;1\n",
            "PROJECTS row 2 cost",
        ),
        (
            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n"
            "VOTES\nvoter_id;vote\n1;1,7\n",
            "unknown project '7'",
        ),
        (
            "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;5\n1;6\n"
            "VOTES\nvoter_id;vote\n1;1\n",
            "appears twice",
        ),
        (
            "META\nkey;value\nvote_type;scoring\nPROJECTS\nproject_id;cost\n1;5\n"
            "VOTES\nvoter_id;vote\n1;1\n",
            "not supported",
        ),
    ],
)
def test_malformed_files_are_refused_saying_where(text, message):
    with pytest.raises(PabulibError, match=message):
        read_pb(text)


def test_pabulib_rule_names_map_to_ours_and_back():
    assert {name: rule_from_pabulib(load(name).meta["rule"]) for name in FILES} == {
        "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb": None,
        "France_Toulouse_2024.pb": RuleName.GREEDY,
        "Poland_Swiecie_2023.pb": RuleName.EQUAL_SHARES,
        "Poland_Warszawa_2024_Wesola.pb": RuleName.GREEDY,
    }
    assert all(rule_from_pabulib(PABULIB_RULE[rule]) == rule for rule in RuleName)
    assert PABULIB_RULE[RuleName.GREEDY_STOP] == "greedy-no-skip"


@pytest.mark.parametrize("kind", list(BallotKind))
def test_pabutools_reads_every_ballot_kind_written_with_pabulib_vote_types(kind, tmp_path):
    ballots = {
        BallotKind.APPROVAL: [Ballot({"1": 1, "2": 1})],
        BallotKind.KNAPSACK: [Ballot({"1": 1})],
        BallotKind.CUMULATIVE: [Ballot({"1": 4, "2": 6})],
        BallotKind.RANKED: [Ballot({"2": 1, "1": 2})],
    }[kind]
    election = Election(
        meta={
            "budget": "150",
            "vote_type": PABULIB_VOTE_TYPE[kind],
            "rule": PABULIB_RULE[RuleName.EQUAL_SHARES],
        },
        projects=[Project("1", 100), Project("2", 50)],
        ballots=ballots,
    )
    path = tmp_path / "budget.pb"
    path.write_text(write_pb(election), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    assert instance.budget_limit == 150
    assert profile.num_ballots() == 1
    assert read_pb(path.read_text(encoding="utf-8")).ballots == ballots
