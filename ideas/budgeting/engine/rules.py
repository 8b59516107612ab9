"""Counting rules: "Most votes first" (greedy, two variants) and the Method of Equal Shares.

Each rule returns a :class:`~.types.Result` whose fates explain every project: its score,
the budget left when its turn came, why it won or lost and, under Equal Shares, how much
each voter's share paid for it. ``docs/budgeting.md`` describes the rules, the tie-breaking
and which real elections (pabulib) they reproduce.

**Scores** (greedy order and the score shown for every rule): approval and knapsack, the
number of ballots choosing the project; cumulative, the points it got; ranked, Borda points
— on a ballot ranking n projects, rank r earns n - r + 1.

**Ties** are broken the same way in every rule: higher score, then lower cost, then the
order in which the caller listed the projects (for pabulib files, the file's order).

**Arithmetic.** Costs, budgets and scores are integers, so greedy's "fits" is exact. Equal
Shares divides money among voters; it is computed in float64 and every comparison that
decides something (is a project affordable, do two projects tie) allows a relative error of
``TOLERANCE``. The outcome's cost against the real budget (the add1 stopping test) is
integer arithmetic again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from .types import Ballot, BallotKind, Project, ProjectFate, Reason, Result, RuleName

TOLERANCE = 1e-9
Utility = str  # "cost" (equalshares.net, reproduces Świecie) or "approval"


def ballot_weights(ballot: Ballot, kind: BallotKind) -> dict[str, int]:
    """A ballot's support for each project it chose, as used for scores and Equal Shares."""
    if kind == BallotKind.RANKED:
        n = len(ballot.choices)
        return {pid: n - rank + 1 for pid, rank in ballot.choices.items() if 1 <= rank <= n}
    if kind == BallotKind.CUMULATIVE:
        return {pid: points for pid, points in ballot.choices.items() if points > 0}
    return {pid: 1 for pid, weight in ballot.choices.items() if weight > 0}


def scores(
    projects: Sequence[Project], ballots: Sequence[Ballot], kind: BallotKind
) -> dict[str, int]:
    """Score of every project (see the module docstring); choices of unknown ids are ignored."""
    totals = {p.id: 0 for p in projects}
    for ballot in ballots:
        for pid, weight in ballot_weights(ballot, kind).items():
            if pid in totals:
                totals[pid] += weight
    return totals


def _order(projects: Sequence[Project], score: Mapping[str, int]) -> list[Project]:
    position = {p.id: i for i, p in enumerate(projects)}
    return sorted(projects, key=lambda p: (-score[p.id], p.cost, position[p.id]))


def greedy(
    projects: Sequence[Project],
    ballots: Sequence[Ballot],
    budget: int,
    *,
    kind: BallotKind = BallotKind.APPROVAL,
    stop: bool = False,
) -> Result:
    """Most votes first: fund projects in score order while they fit the budget.

    ``stop=False`` skips a project that no longer fits and goes on; ``stop=True`` stops at the
    first project that does not fit. A project costing more than the whole budget can never
    fit; it is marked too expensive and does not stop counting. A project nobody chose is not
    funded (it is "not reached").
    """
    score = scores(projects, ballots, kind)
    remaining = budget
    selected: list[str] = []
    fates: dict[str, ProjectFate] = {}
    stopped = False
    for rank, project in enumerate(_order(projects, score), start=1):
        if project.cost > budget:
            reason = Reason.TOO_EXPENSIVE
        elif stopped:
            reason = Reason.STOPPED
        elif score[project.id] <= 0:
            reason = Reason.NOT_REACHED
        elif project.cost <= remaining:
            reason = Reason.WON
        elif stop:
            reason = Reason.STOPPED
            stopped = True
        else:
            reason = Reason.SKIPPED_NO_LONGER_FITS
        won = reason == Reason.WON
        fates[project.id] = ProjectFate(
            project=project.id,
            selected=won,
            score=score[project.id],
            reason=reason,
            remaining_before=remaining,
            rank=rank,
        )
        if won:
            selected.append(project.id)
            remaining -= project.cost
    return Result(
        rule=RuleName.GREEDY_STOP if stop else RuleName.GREEDY,
        budget=budget,
        selected=tuple(selected),
        spent=budget - remaining,
        fates=MappingProxyType(fates),
    )


class _Support:
    """Who supports each project, with what weight, as index arrays (built once per count)."""

    def __init__(
        self, projects: Sequence[Project], ballots: Sequence[Ballot], kind: BallotKind
    ) -> None:
        index = {p.id: i for i, p in enumerate(projects)}
        voters: list[list[int]] = [[] for _ in projects]
        weights: list[list[int]] = [[] for _ in projects]
        for v, ballot in enumerate(ballots):
            for pid, weight in ballot_weights(ballot, kind).items():
                j = index.get(pid)
                if j is not None:
                    voters[j].append(v)
                    weights[j].append(weight)
        self.voters: list[npt.NDArray[np.int64]] = [np.array(v, dtype=np.int64) for v in voters]
        self.weights: list[npt.NDArray[np.float64]] = [
            np.array(w, dtype=np.float64) for w in weights
        ]
        self.costs = [p.cost for p in projects]
        self.n_voters = len(ballots)


def _price(
    cost: int, budgets: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]
) -> float | None:
    """The least price q per unit of weight with sum(min(b_i, q * w_i)) = cost, or None.

    Supporters are sorted by how many units of weight their money covers (b_i / w_i); the
    first k pay everything they have and the rest pay q * w_i, for the first k at which
    that is consistent.
    """
    if budgets.sum() < cost * (1 - TOLERANCE):
        return None
    cover = budgets / weights
    order = np.argsort(cover, kind="stable")
    cover, budgets, weights = cover[order], budgets[order], weights[order]
    paid_in_full = np.concatenate(([0.0], np.cumsum(budgets)[:-1]))
    weight_left = np.cumsum(weights[::-1])[::-1]
    prices = (cost - paid_in_full) / weight_left
    consistent = np.flatnonzero(prices <= cover * (1 + TOLERANCE))
    if consistent.size == 0:  # only rounding can get here: everyone pays in full
        return float(cover[-1])
    return float(prices[consistent[0]])


def _equal_shares_fixed(
    support: _Support,
    order_key: Sequence[tuple[int, int, int]],
    per_voter: float,
    utility: Utility,
) -> tuple[list[int], list[dict[int, float]]]:
    """One run of the Method of Equal Shares with ``per_voter`` money for each voter.

    Returns the chosen project indices in the order chosen and, for each, what each
    supporter paid. A project's criterion (price per unit of utility) can only grow as
    voters spend, so candidates are examined best-previous-first and the scan stops once
    no remaining candidate could beat the best found (equalshares.net's shortcut).
    """
    budgets = np.full(support.n_voters, per_voter, dtype=np.float64)
    candidates = {
        j: 0.0 for j, c in enumerate(support.costs) if c > 0 and support.voters[j].size > 0
    }
    chosen: list[int] = []
    payments: list[dict[int, float]] = []
    while candidates:
        best: int | None = None
        best_rho = 0.0
        best_price = 0.0
        for j in sorted(candidates, key=lambda j: (candidates[j], order_key[j])):
            if best is not None and candidates[j] > best_rho * (1 + TOLERANCE):
                break
            price = _price(support.costs[j], budgets[support.voters[j]], support.weights[j])
            if price is None:
                del candidates[j]
                continue
            rho = price / support.costs[j] if utility == "cost" else price
            candidates[j] = rho
            if (
                best is None
                or rho < best_rho * (1 - TOLERANCE)
                or (rho <= best_rho * (1 + TOLERANCE) and order_key[j] < order_key[best])
            ):
                best, best_rho, best_price = j, rho, price
        if best is None:
            break
        voters = support.voters[best]
        paid = np.minimum(budgets[voters], best_price * support.weights[best])
        budgets[voters] -= paid
        chosen.append(best)
        payments.append({int(v): float(p) for v, p in zip(voters, paid, strict=True) if p > 0})
        del candidates[best]
    return chosen, payments


def equal_shares(
    projects: Sequence[Project],
    ballots: Sequence[Ballot],
    budget: int,
    *,
    kind: BallotKind = BallotKind.APPROVAL,
    utility: Utility = "cost",
    completion: bool = True,
) -> Result:
    """The Method of Equal Shares (equalshares.net), with its "add1" completion.

    Every voter gets an equal share of the budget. In turn, the project whose supporters can
    pay for it at the lowest price per unit of utility is funded, its supporters sharing the
    cost equally (a supporter with less money left pays all they have, the others the same
    amount; on cumulative and ranked ballots, in proportion to their points). Utility is the
    project's cost times the voter's weight (``utility="cost"``, equalshares.net's and the
    one that reproduces Świecie 2023) or the weight alone (``"approval"``).

    add1 completion: while the outcome leaves money for some unfunded project, every voter's
    share grows by 1 currency unit and the method runs again; the last outcome that fits
    the real budget is kept. Projects it adds are "won-completion".
    """
    score = scores(projects, ballots, kind)
    support = _Support(projects, ballots, kind)
    position = {p.id: i for i, p in enumerate(projects)}
    order_key = [(-score[p.id], p.cost, position[p.id]) for p in projects]
    n = len(ballots)
    if n == 0:
        chosen: list[int] = []
        payments: list[dict[int, float]] = []
        first: set[int] = set()
    else:
        per_voter = budget / n
        chosen, payments = _equal_shares_fixed(support, order_key, per_voter, utility)
        first = set(chosen)
        step = 0
        while completion:
            spent = sum(support.costs[j] for j in chosen)
            if all(
                support.costs[j] > budget - spent
                for j in range(len(projects))
                if j not in set(chosen)
            ):
                break
            step += 1
            more, more_payments = _equal_shares_fixed(support, order_key, per_voter + step, utility)
            if sum(support.costs[j] for j in more) > budget:
                break
            chosen, payments = more, more_payments

    fates: dict[str, ProjectFate] = {}
    remaining = budget
    for rank, (j, paid) in enumerate(zip(chosen, payments, strict=True), start=1):
        project = projects[j]
        fates[project.id] = ProjectFate(
            project=project.id,
            selected=True,
            score=score[project.id],
            reason=Reason.WON if j in first else Reason.WON_COMPLETION,
            remaining_before=remaining,
            paid_by=MappingProxyType(paid),
            rank=rank,
        )
        remaining -= project.cost
    rest = [p for p in _order(projects, score) if p.id not in fates]
    for rank, project in enumerate(rest, start=len(chosen) + 1):
        fates[project.id] = ProjectFate(
            project=project.id,
            selected=False,
            score=score[project.id],
            reason=Reason.TOO_EXPENSIVE if project.cost > budget else Reason.NOT_REACHED,
            remaining_before=remaining,
            rank=rank,
        )
    return Result(
        rule=RuleName.EQUAL_SHARES,
        budget=budget,
        selected=tuple(projects[j].id for j in chosen),
        spent=budget - remaining,
        fates=MappingProxyType(fates),
    )


def compute(
    rule: RuleName,
    projects: Sequence[Project],
    ballots: Sequence[Ballot],
    budget: int,
    *,
    kind: BallotKind = BallotKind.APPROVAL,
) -> Result:
    """Count ``ballots`` for ``projects`` under ``rule`` within ``budget`` (see the rules)."""
    if len({p.id for p in projects}) != len(projects):
        raise ValueError("project ids must be unique")
    if rule == RuleName.GREEDY:
        return greedy(projects, ballots, budget, kind=kind)
    if rule == RuleName.GREEDY_STOP:
        return greedy(projects, ballots, budget, kind=kind, stop=True)
    if rule == RuleName.EQUAL_SHARES:
        return equal_shares(projects, ballots, budget, kind=kind)
    raise ValueError(f"unknown rule {rule!r}")
