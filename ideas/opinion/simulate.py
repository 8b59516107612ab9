"""Simulated opinion groups: votes with a known answer, for tests, the benchmark and demos.

Each statement is either **owned** by one group (that group agrees, the others disagree) or
**common ground** (every group agrees). A participant sees each statement with their group's
own probability (so groups can vote unequally often — the case a vote-count artefact hides
in), follows the group's stance with probability ``fidelity`` and otherwise votes at random
(agree, disagree or pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ideas.opinion.engine import VoteMatrix


@dataclass(frozen=True)
class PlantedVotes:
    matrix: VoteMatrix
    truth: dict[int, int]  # participant key → planted group
    common_ground: tuple[int, ...]  # statement ids every group agrees with
    owned: dict[int, int]  # statement id → the group that agrees with it (others disagree)


def planted_votes(
    group_sizes: Sequence[int],
    n_statements: int,
    *,
    density: float | Sequence[float] = 0.3,
    common_ground: int = 2,
    fidelity: float = 0.85,
    seed: int = 1,
    first_participant: int = 1,
    chunk: int = 2000,
) -> PlantedVotes:
    """Votes of ``sum(group_sizes)`` participants on ``n_statements`` statements (ids 0…S-1).

    ``density`` is the share of statements a participant sees, one value or one per group.
    Statements ``0 … common_ground-1`` are common ground; the rest are owned round-robin.
    Memory is ``chunk x statements`` at a time, so large benchmarks stay small.
    """
    n_groups = len(group_sizes)
    densities = [float(density)] * n_groups if isinstance(density, (int, float)) else list(density)
    if len(densities) != n_groups:
        raise ValueError("one density per group")
    rng = np.random.default_rng(seed)
    stance = -np.ones((n_groups, n_statements), dtype=np.int8)
    stance[:, :common_ground] = 1
    owner = {}
    for j in range(common_ground, n_statements):
        g = (j - common_ground) % n_groups
        stance[g, j] = 1
        owner[j] = g
    group_of = np.repeat(np.arange(n_groups), group_sizes)
    keys_all = np.arange(first_participant, first_participant + len(group_of), dtype=np.int64)
    people, statements, values = [], [], []
    for start in range(0, len(group_of), chunk):
        groups = group_of[start : start + chunk]
        seen = rng.random((len(groups), n_statements)) < np.asarray(densities)[groups, None]
        r, c = np.nonzero(seen)
        follow = rng.random(len(r)) < fidelity
        noise = rng.choice(np.array([1, -1, 0], dtype=np.int8), size=len(r))
        v = np.where(follow, stance[groups[r], c], noise).astype(np.int8)
        people.append(keys_all[start + r])
        statements.append(c.astype(np.int64))
        values.append(v)
    matrix = VoteMatrix.from_arrays(
        np.concatenate(people),
        np.concatenate(statements),
        np.concatenate(values),
        statements=np.arange(n_statements, dtype=np.int64),
    )
    truth = {int(k): int(g) for k, g in zip(keys_all, group_of, strict=True)}
    return PlantedVotes(matrix, truth, tuple(range(common_ground)), owner)
