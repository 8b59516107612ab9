"""Pure helpers shared by the load client and the runner: percentiles and sequence gaps.

Kept free of Django and I/O so the load client stays cheap to start and the unit tests
(tests/test_bench_harness.py) can check them directly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) of already sorted values, linearly interpolated.

    Matches numpy's default ("linear") method; None for no values.
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    n = len(sorted_values)
    if n == 0:
        return None
    rank = (n - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, n - 1)
    fraction = rank - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction


def summarize(values: Iterable[float], scale: float = 1.0, digits: int = 1) -> dict:
    """count, mean, p50, p95, p99 and max of ``values`` times ``scale`` (e.g. 1000 for ms)."""
    ordered = sorted(v * scale for v in values)
    if not ordered:
        return {"count": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None}

    def r(value: float | None) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "count": len(ordered),
        "mean": r(sum(ordered) / len(ordered)),
        "p50": r(percentile(ordered, 50)),
        "p95": r(percentile(ordered, 95)),
        "p99": r(percentile(ordered, 99)),
        "max": r(ordered[-1]),
    }


@dataclass(frozen=True)
class Gaps:
    """What one client's sequence numbers say about delivery.

    ``missing``: numbers skipped between the first and the last seen (each counts once);
    ``duplicates``: numbers seen more than once; ``out_of_order``: arrivals lower than one
    already seen (a client applying events strictly in order would resync for these).
    """

    missing: int = 0
    duplicates: int = 0
    out_of_order: int = 0

    @property
    def clean(self) -> bool:
        return not (self.missing or self.duplicates or self.out_of_order)

    def as_dict(self) -> dict:
        return asdict(self)


def sequence_gaps(seqs: Sequence[int], first: int | None = None) -> Gaps:
    """Gaps in the sequence numbers one client received, in arrival order.

    ``first`` is the number the client expected first (e.g. the snapshot's seq + 1); without
    it, the first arrival starts the count, so losses before it are not seen here (the caller
    counts those as missed triggers).
    """
    if not seqs:
        return Gaps()
    seen: set[int] = set()
    duplicates = out_of_order = 0
    highest = None
    for seq in seqs:
        if seq in seen:
            duplicates += 1
            continue
        if highest is not None and seq < highest:
            out_of_order += 1
        seen.add(seq)
        highest = seq if highest is None else max(highest, seq)
    low = min(seen) if first is None else min(first, min(seen))
    missing = (highest - low + 1) - len(seen)
    return Gaps(missing=missing, duplicates=duplicates, out_of_order=out_of_order)


def add_gaps(many: Iterable[Gaps]) -> tuple[Gaps, int]:
    """Total gaps over clients, and how many clients saw any."""
    missing = duplicates = out_of_order = affected = 0
    for gaps in many:
        missing += gaps.missing
        duplicates += gaps.duplicates
        out_of_order += gaps.out_of_order
        affected += not gaps.clean
    return Gaps(missing, duplicates, out_of_order), affected


def ratio(value: float | None, baseline: float | None, digits: int = 2) -> float | None:
    """value / baseline, or None when either is missing or the baseline is zero."""
    if value is None or not baseline:
        return None
    return round(value / baseline, digits)
