"""Synthetic approval elections for the Equal Shares benchmark and tests.

Projects get a popularity (log-normal, so a few are very popular) and a cost spread
log-uniformly between 10,000 and 1,000,000 (rounded to 100). Each voter chooses between 1
and ``max_choices`` projects, without replacement, with probability following popularity
(the Gumbel top-k trick, in blocks of 10,000 voters). The budget is a quarter of the total
cost, as in many city budgets where about one project in four or five is funded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .types import Ballot, Project

BLOCK = 10_000


@dataclass(frozen=True)
class SyntheticElection:
    projects: list[Project]
    ballots: list[Ballot]
    budget: int


def approval_election(
    voters: int, projects: int, *, max_choices: int = 10, seed: int = 1
) -> SyntheticElection:
    rng = np.random.default_rng(seed)
    popularity = np.log(rng.lognormal(0.0, 1.0, projects))
    low, high = np.log(10_000), np.log(1_000_000)
    costs = (np.exp(rng.uniform(low, high, projects)) // 100 * 100).astype(np.int64)
    ids = [f"p{j + 1}" for j in range(projects)]
    width = min(max_choices, projects)
    ballots: list[Ballot] = []
    for start in range(0, voters, BLOCK):
        n = min(BLOCK, voters - start)
        keys = popularity + rng.gumbel(size=(n, projects))
        top = np.argsort(-keys, axis=1)[:, :width]
        lengths = rng.integers(1, width + 1, n)
        for row, length in zip(top.tolist(), lengths.tolist(), strict=True):
            ballots.append(Ballot(choices={ids[j]: 1 for j in row[:length]}))
    return SyntheticElection(
        projects=[Project(id=ids[j], cost=int(costs[j])) for j in range(projects)],
        ballots=ballots,
        budget=int(costs.sum()) // 4,
    )
