"""Which statement a person sees next: Pol.is-like priority, deterministic per person.

Among the statements a person has not voted on, each gets a priority from its tallies:

* **uncertainty** ``1 - |2a - 1|`` with ``a = (agree + 1) / (agree + disagree + 2)``: 1 for a
  statement opinion is split on (or nobody has judged), near 0 for one everyone agrees or
  disagrees with — more votes there tell the map little;
* **newness** ``1 + 8 · 2^(-n/5)`` with ``n`` all votes including passes (Pol.is boosts new
  comments the same way): a statement with few votes comes first, so every statement gets
  enough votes to be placed.

Priority is ``(uncertainty + 0.1) · newness``: the 0.1 keeps settled statements reachable.
Ties break by a hash of (person, statement), so two people do not walk the same order and one
person sees the same order on every reload (no randomness: tests and the no-JavaScript page
agree with each other).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed


def priority(tally: Tally) -> float:
    share = (tally.agree + 1) / (tally.agree + tally.disagree + 2)
    uncertainty = 1 - abs(2 * share - 1)
    newness = 1 + 8 * 2 ** (-tally.votes / 5)
    return (uncertainty + 0.1) * newness


def tie_break(person: int, statement: int) -> str:
    return hashlib.sha256(f"{person}:{statement}".encode()).hexdigest()


def order(person: int, candidates: Iterable[tuple[int, Tally]]) -> list[int]:
    """Statement ids, the one to show first first."""
    ranked = sorted(
        candidates, key=lambda pair: (-round(priority(pair[1]), 9), tie_break(person, pair[0]))
    )
    return [statement for statement, _tally in ranked]
