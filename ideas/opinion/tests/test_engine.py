"""The opinion engine finds groups by what people think (not how often they vote), counts
consensus over those who saw a statement, refuses to draw a map from too little, keeps
participant keys out of the stored form, and gives the same map for the same votes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ideas.opinion import engine
from ideas.opinion.engine import OpinionResult, VoteMatrix, adjusted_rand_index, compute
from ideas.opinion.simulate import planted_votes


def ari_against(result: OpinionResult, truth: dict[int, int]) -> float:
    keys = sorted(result.assignment)
    return adjusted_rand_index([result.assignment[k] for k in keys], [truth[k] for k in keys])


def test_groups_that_vote_unequally_often_are_found_by_opinion_not_by_vote_count():
    # Group 0 sees 80 % of statements, group 1 20 %, group 2 45 %: a method that clusters
    # on "how many" would split heavy from light voters instead.
    planted = planted_votes([60, 50, 40], 60, density=[0.8, 0.2, 0.45], seed=3)
    result = compute(planted.matrix)

    assert result.enough
    assert len(result.groups) == 3
    assert ari_against(result, planted.truth) >= 0.9


def test_heavy_and_light_voters_of_one_opinion_land_in_the_same_group():
    # Two opinions; within each, half the people vote on 90 % of statements, half on 15 %.
    heavy = planted_votes([40, 40], 40, density=[0.9, 0.9], seed=5, first_participant=1)
    light = planted_votes([40, 40], 40, density=[0.15, 0.15], seed=6, first_participant=1001)
    votes = heavy.matrix.votes() + light.matrix.votes()
    truth = heavy.truth | light.truth
    result = compute(VoteMatrix.from_votes(votes))

    assert ari_against(result, truth) >= 0.9
    by_volume = {k: int(k > 1000) for k in result.assignment}
    assert abs(ari_against(result, by_volume)) < 0.1


def test_only_participants_with_min_7_votes_are_clustered_but_all_are_counted():
    planted = planted_votes([30, 30], 20, density=0.9, seed=2)
    casual = [(5000, 0, 1), (5000, 1, -1), (5001, 3, 1)]  # 2 and 1 votes: not clustered
    matrix = VoteMatrix.from_votes(planted.matrix.votes() + casual)
    result = compute(matrix)

    assert result.min_votes == 7
    assert 5000 not in result.assignment and 5001 not in result.assignment
    assert result.participants_voted == 62
    assert result.participants_clustered == 60
    counts = {s.statement: s for s in result.statements}
    planted_counts = {s.statement: s for s in compute(planted.matrix).statements}
    assert counts[0].agree == planted_counts[0].agree + 1
    assert counts[1].disagree == planted_counts[1].disagree + 1


def test_min_votes_is_the_number_of_statements_when_there_are_fewer_than_7():
    planted = planted_votes([10, 10], 4, density=1.0, common_ground=0, seed=4)
    matrix = VoteMatrix.from_votes([*planted.matrix.votes(), (900, 0, 1), (900, 1, 1)])
    result = compute(matrix)

    assert result.min_votes == 4
    assert result.participants_clustered == 20
    assert 900 not in result.assignment


def test_min_votes_can_be_set_by_the_caller():
    planted = planted_votes([20, 20], 20, density=0.3, seed=8)
    per_person = np.bincount(planted.matrix.rows)
    result = compute(planted.matrix, min_votes=8)

    assert result.min_votes == 8
    assert result.participants_clustered == int((per_person >= 8).sum())
    assert result.participants_clustered < len(planted.truth)


@pytest.mark.parametrize(
    ("votes", "reason"),
    [
        ([], engine.REASON_NO_VOTES),
        ([(p, 1, 1) for p in range(20)], engine.REASON_FEW_STATEMENTS),
        ([(p, s, 1) for p in range(3) for s in range(10)], engine.REASON_FEW_PARTICIPANTS),
        ([(p, s, 1) for p in range(30) for s in range(10)], engine.REASON_NO_DIFFERENCES),
        # Many people, but only 3 with enough votes to place them.
        (
            [(p, s, (-1) ** p) for p in range(3) for s in range(10)]
            + [(p, 0, 1) for p in range(10, 40)],
            engine.REASON_FEW_PARTICIPANTS,
        ),
    ],
    ids=["no-votes", "one-statement", "three-people", "everyone-agrees", "few-placed"],
)
def test_not_enough_to_draw_a_map_says_why_and_keeps_the_totals(votes, reason):
    result = compute(VoteMatrix.from_votes(votes))

    assert not result.enough
    assert result.reason == reason
    assert result.groups == () and result.consensus == () and result.assignment == {}
    assert sum(s.seen for s in result.statements) == len(votes)
    assert OpinionResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_consensus_divides_by_those_who_saw_the_statement_not_by_group_size():
    planted = planted_votes([40, 40], 30, density=0.9, common_ground=0, seed=11)
    # Statement 99: only 5 people of each group saw it, and all of them agreed.
    viewers = sorted(planted.truth)
    saw = [k for k in viewers if planted.truth[k] == 0][:5]
    saw += [k for k in viewers if planted.truth[k] == 1][:5]
    matrix = VoteMatrix.from_votes(planted.matrix.votes() + [(k, 99, 1) for k in saw])
    result = compute(matrix)

    top = result.consensus[0]
    assert top.statement == 99
    group_of = result.assignment
    for g, probability in enumerate(top.group_agree):
        seen_in_group = sum(1 for k in saw if group_of[k] == g)
        assert probability == pytest.approx((seen_in_group + 1) / (seen_in_group + 2))
    assert top.score == pytest.approx(np.prod(top.group_agree))


def test_common_ground_is_consensus_and_owned_statements_are_divisive():
    planted = planted_votes([50, 40, 30], 40, density=0.6, common_ground=4, seed=12)
    result = compute(planted.matrix)

    assert {c.statement for c in result.consensus[:4]} == set(planted.common_ground)
    divisive = {d.statement for d in result.divisive}
    assert divisive and divisive <= set(planted.owned)
    assert not divisive & set(planted.common_ground)


def test_each_group_is_represented_by_the_statements_it_agrees_with_and_others_reject():
    planted = planted_votes([50, 40, 30], 30, density=0.7, common_ground=3, seed=13)
    result = compute(planted.matrix)

    for group in result.groups:
        members = [k for k, g in result.assignment.items() if g == group.id]
        planted_group = np.bincount([planted.truth[k] for k in members]).argmax()
        assert group.representative
        assert len(group.representative) <= 5
        kinds = [r.kind for r in group.representative]
        assert kinds == sorted(kinds), "agrees before disagrees"
        for rep in group.representative:
            owner = planted.owned.get(rep.statement)
            if rep.kind == "agree":
                # Its own statements, or (Pol.is's best agree) common ground it agrees with.
                assert owner == planted_group or rep.statement in planted.common_ground
                assert rep.agree_share > 0.5
            else:
                assert owner is not None and owner != planted_group
                assert rep.disagree > rep.agree
            assert rep.seen >= rep.agree + rep.disagree
        own = [r for r in group.representative if planted.owned.get(r.statement) == planted_group]
        assert own, "a group is characterised by what sets it apart"


def test_a_group_with_nothing_significant_still_shows_one_statement():
    # Group 0 vs group 1 on three statements, one or two votes each: no 90 % test passes.
    agree = np.array([[1, 0, 1], [0, 1, 1]])
    disagree = np.array([[0, 1, 0], [1, 0, 0]])
    seen = np.array([[1, 2, 2], [1, 1, 2]])
    statements = np.array([10, 11, 12])

    shown = engine._representative(0, agree, disagree, seen, statements)
    unseen = engine._representative(0, agree * 0, disagree * 0, seen * 0, statements)

    assert len(shown) == 1
    assert shown[0].statement in (10, 12) and shown[0].kind == "agree"
    assert unseen == ()


def test_stored_form_holds_no_participant_key_and_round_trips():
    planted = planted_votes([20, 20], 15, density=0.8, seed=14, first_participant=987_654_321)
    result = compute(planted.matrix)
    stored = json.dumps(result.to_json())

    for key in planted.truth:
        assert str(key) not in stored
    assert "assignment" not in stored
    again = OpinionResult.from_json(json.loads(stored))
    assert again == result
    assert again.assignment == {}
    assert sum(g.size for g in again.groups) == result.participants_clustered


def test_from_json_refuses_an_unknown_version():
    with pytest.raises(ValueError, match="version"):
        OpinionResult.from_json({"version": 999})


def test_same_votes_in_any_order_give_the_same_map():
    planted = planted_votes([30, 25, 20], 25, density=0.5, seed=15)
    votes = planted.matrix.votes()
    shuffled = list(votes)
    np.random.default_rng(0).shuffle(shuffled)

    first = compute(planted.matrix)
    again = compute(VoteMatrix.from_votes(shuffled))

    assert first.to_json() == again.to_json()
    assert first.assignment == again.assignment


def test_a_changed_vote_counts_once_with_its_last_value():
    matrix = VoteMatrix.from_votes([(1, 10, 1), (2, 10, 1), (1, 10, -1), (1, 11, 0)])

    assert matrix.shape == (2, 2)
    assert sorted(matrix.votes()) == [(1, 10, -1), (1, 11, 0), (2, 10, 1)]


def test_a_vote_value_other_than_agree_disagree_pass_is_refused():
    with pytest.raises(ValueError, match="1, -1 or 0"):
        VoteMatrix.from_votes([(1, 1, 2)])
    with pytest.raises(ValueError, match="1, -1 or 0"):  # not wrapped round to 1 as int8
        VoteMatrix.from_arrays(np.array([1]), np.array([1]), np.array([257]))


def test_statements_nobody_voted_on_are_listed_with_zero_votes():
    matrix = VoteMatrix.from_votes([(1, 1, 1)], statements=[1, 2, 3])
    result = compute(matrix)

    assert [(s.statement, s.seen) for s in result.statements] == [(1, 1), (2, 0), (3, 0)]


def test_without_statements_drops_their_votes_only():
    matrix = VoteMatrix.from_votes([(1, 1, 1), (1, 2, -1), (2, 2, 0), (2, 3, 1)])
    smaller = matrix.without_statements([2])

    assert sorted(smaller.votes()) == [(1, 1, 1), (2, 3, 1)]
    assert list(smaller.statements) == [1, 3]


def test_adjusted_rand_index_known_values():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == pytest.approx(1.0)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # Worked example (Hubert & Arabie's formula by hand): 0.24242...
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(
        0.242424, abs=1e-6
    )


def test_covariance_from_vote_pairs_in_small_chunks_equals_the_dense_product(monkeypatch):
    monkeypatch.setattr(engine, "PAIR_CHUNK", 50)
    planted = planted_votes([30, 20], 40, density=0.1, seed=16)
    m = planted.matrix
    n, s = m.shape
    x = np.random.default_rng(1).standard_normal(len(m.values))
    dense = np.zeros((n, s))
    dense[m.rows, m.cols] = x

    sparse = engine._covariance(m.rows.astype(np.int64), m.cols.astype(np.int64), x, n, s)

    assert np.allclose(sparse, dense.T @ dense)


def test_many_statements_are_handled_without_a_statements_squared_matrix(monkeypatch):
    # The same votes through the covariance and through products with the votes alone
    # (the path an idea board with thousands of ideas takes) give the same map.
    planted = planted_votes([40, 30, 30], 80, density=0.3, common_ground=3, seed=17)
    with_covariance = compute(planted.matrix)
    monkeypatch.setattr(engine, "COVARIANCE_MAX_STATEMENTS", 0)
    monkeypatch.setattr(engine, "_covariance", lambda *a: pytest.fail("built the S x S covariance"))
    without = compute(planted.matrix)

    assert without.assignment == with_covariance.assignment
    assert [c.statement for c in without.consensus] == [
        c.statement for c in with_covariance.consensus
    ]
    assert ari_against(without, planted.truth) >= 0.9


def test_weighted_silhouette_equals_the_silhouette_of_every_member():
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(9, 2))
    weights = np.array([1, 3, 2, 5, 1, 4, 2, 1, 6])
    labels = np.array([0, 0, 1, 1, 1, 2, 2, 2, 0])
    distance = np.sqrt(((centres[:, None] - centres[None]) ** 2).sum(axis=2))

    members = np.repeat(np.arange(9), weights)  # every member stands at its centre
    scores = []
    for i in members:
        same = [j for j in members if labels[j] == labels[i]]
        if len(same) == 1:
            scores.append(0.0)
            continue
        a = sum(distance[i, j] for j in same) / (len(same) - 1)
        b = min(
            np.mean([distance[i, j] for j in members if labels[j] == other])
            for other in set(labels) - {labels[i]}
        )
        scores.append((b - a) / max(a, b))

    assert engine.weighted_silhouette(distance, labels, weights) == pytest.approx(np.mean(scores))
