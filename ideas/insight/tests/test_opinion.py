"""The opinion map recovers planted groups, finds common ground and splits, and refuses to
draw noise from too few votes."""

from __future__ import annotations

import numpy as np
import pytest

from ideas.insight import opinion
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory


def planted(sizes, ideas_per_group=3, seed=1, shared=True):
    """Group g supports its own ideas with p=0.9 and the others' with p=0.05; with
    ``shared`` everyone also supports one last idea (the common ground)."""
    rng = np.random.default_rng(seed)
    n_ideas = ideas_per_group * len(sizes) + (1 if shared else 0)
    rows, truth = [], []
    for g, size in enumerate(sizes):
        for _ in range(size):
            p = np.full(n_ideas, 0.05)
            p[g * ideas_per_group : (g + 1) * ideas_per_group] = 0.9
            if shared:
                p[-1] = 0.95
            rows.append((rng.random(n_ideas) < p).astype(int))
            truth.append(g)
    return np.array(rows), truth


def adjusted_rand(a, b) -> float:
    """Adjusted Rand index of two labelings (1 = the same partition, about 0 = chance)."""
    from math import comb

    pairs: dict = {}
    for x, y in zip(a, b, strict=True):
        pairs[(x, y)] = pairs.get((x, y), 0) + 1
    rows: dict = {}
    cols: dict = {}
    for (x, y), n in pairs.items():
        rows[x] = rows.get(x, 0) + n
        cols[y] = cols.get(y, 0) + n
    index = sum(comb(n, 2) for n in pairs.values())
    sum_rows = sum(comb(n, 2) for n in rows.values())
    sum_cols = sum(comb(n, 2) for n in cols.values())
    expected = sum_rows * sum_cols / comb(len(a), 2)
    return (index - expected) / ((sum_rows + sum_cols) / 2 - expected)


def test_clearly_planted_groups_are_recovered_exactly():
    """Each group supports exactly its own ideas, plus one stray support per person."""
    rng = np.random.default_rng(7)
    rows, truth = [], []
    for g, size in enumerate([10, 12, 8]):
        for _ in range(size):
            row = np.zeros(10, dtype=int)
            row[g * 3 : g * 3 + 3] = 1
            row[rng.integers(10)] = 1
            rows.append(row)
            truth.append(g)
    result = opinion.analyse(np.array(rows), list(range(10)))
    assert result.enough
    assert result.labels == truth  # labels are numbered in order of first appearance
    assert [g["size"] for g in result.groups] == [10, 12, 8]


@pytest.mark.parametrize("seed", range(1, 11))
def test_noisy_planted_groups_are_recovered(seed):
    """Own ideas supported with p = 0.9, others' with p = 0.05: at most a stray voter or two
    may land elsewhere (adjusted Rand ≥ 0.85), and the number of groups is right."""
    matrix, truth = planted([10, 12, 8], seed=seed)
    result = opinion.analyse(matrix, list(range(100, 100 + matrix.shape[1])))
    assert len(result.groups) == 3
    assert adjusted_rand(result.labels, truth) >= 0.85


def test_the_idea_every_group_supports_is_consensus_and_group_ideas_divide():
    matrix, _truth = planted([10, 12, 8], seed=2)
    ids = list(range(1, matrix.shape[1] + 1))
    result = opinion.analyse(matrix, ids)
    assert [c["idea"] for c in result.consensus] == [ids[-1]]
    divisive = {d["idea"] for d in result.divisive}
    assert divisive == set(ids[:-1])
    assert all(g["defining"] for g in result.groups)


@pytest.mark.parametrize("seed", range(1, 6))
def test_two_uneven_groups_are_recovered(seed):
    matrix, truth = planted([16, 8], ideas_per_group=4, seed=seed, shared=False)
    result = opinion.analyse(matrix, list(range(matrix.shape[1])))
    assert adjusted_rand(result.labels, truth) >= 0.85


def test_same_votes_give_the_same_map_every_time():
    matrix, _truth = planted([10, 10, 10], seed=4)
    ids = list(range(matrix.shape[1]))
    assert opinion.analyse(matrix, ids).labels == opinion.analyse(matrix, ids).labels


@pytest.mark.parametrize(("people", "ideas"), [(9, 6), (20, 2), (0, 0)])
def test_too_few_people_or_ideas_gives_no_map(people, ideas):
    matrix = np.ones((people, ideas), dtype=int)
    result = opinion.analyse(matrix, list(range(ideas)))
    assert not result.enough and result.groups == []
    assert (result.participants, result.ideas) == (people, ideas)


@pytest.mark.django_db
def test_the_vote_matrix_has_one_row_per_supporter_and_one_column_per_supported_idea():
    challenge = ChallengeFactory()
    a, b = (
        IdeaFactory(challenge=challenge, support_count=2),
        IdeaFactory(challenge=challenge, support_count=1),
    )
    IdeaFactory(challenge=challenge)  # no support: no column
    first, second = VoteFactory(idea=a), VoteFactory(idea=a)
    VoteFactory(idea=b, account=first.account)
    matrix, ids, titles = opinion.vote_matrix(challenge)
    assert ids == [a.pk, b.pk] and set(titles) == {a.pk, b.pk}
    assert sorted(map(tuple, matrix.tolist())) == [(1, 0), (1, 1)]
    assert second.account_id  # two supporters → two rows


def test_people_who_all_support_alike_form_one_group_with_common_ground():
    matrix = np.array([[1, 1, 0, 0]] * 12)
    result = opinion.analyse(matrix, [1, 2, 3, 4])
    assert result.enough and len(result.groups) == 1
    assert [c["idea"] for c in result.consensus] == [1, 2]
    assert result.divisive == [] and result.groups[0]["defining"] == []
