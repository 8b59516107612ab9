"""Stratified sampling for recruitment: N people balanced by one segment.

Method: the eligible panel (active members with the research consent, not already invited to
this request) is split into **strata** by the chosen segment (age group, area or use of
services); people who did not share it form one more stratum, "not shared", so sharing is
never a condition of being asked. Places are **allocated equally** across strata by dealing
them one at a time round the strata, in a random order, skipping strata that have run out
(so a small stratum gives everyone it has and its unused places go to the others — "water
filling"). Within each stratum people are drawn by simple random sampling without
replacement. The result differs between strata by at most one person unless a stratum ran
out. The random source is ``secrets.SystemRandom`` in production; tests pass a seeded one.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from secrets import SystemRandom


def allocate(sizes: dict[str, int], wanted: int, rng: random.Random) -> dict[str, int]:
    """How many to draw from each stratum (equal allocation, unused places re-dealt)."""
    alloc = dict.fromkeys(sizes, 0)
    order = sorted(sizes)
    rng.shuffle(order)
    remaining = min(wanted, sum(sizes.values()))
    while remaining > 0:
        for key in order:
            if remaining and alloc[key] < sizes[key]:
                alloc[key] += 1
                remaining -= 1
    return alloc


def stratified_sample(
    members: Iterable[tuple[int, str]], wanted: int, rng: random.Random | None = None
) -> list[tuple[int, str]]:
    """``wanted`` of ``members`` ((id, stratum) pairs), balanced across strata."""
    rng = rng or SystemRandom()
    strata: dict[str, list[int]] = defaultdict(list)
    for member_id, stratum in members:
        strata[stratum].append(member_id)
    alloc = allocate({k: len(v) for k, v in strata.items()}, wanted, rng)
    chosen: list[tuple[int, str]] = []
    for key in sorted(strata):
        ids = sorted(strata[key])
        chosen.extend((member_id, key) for member_id in rng.sample(ids, alloc[key]))
    return chosen
