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
    """Who supports each project, and with what weight, as numpy arrays built once per count.

    Voters who cast the same ballot are one *group*: under Equal Shares they always have the
    same money left, so the method works on groups (with their sizes) instead of ballots.
    """

    def __init__(
        self, projects: Sequence[Project], ballots: Sequence[Ballot], kind: BallotKind
    ) -> None:
        index = {p.id: i for i, p in enumerate(projects)}
        groups: dict[tuple[int, ...], int] = {}
        group_of = np.empty(len(ballots), dtype=np.int64)
        voters: list[list[int]] = [[] for _ in projects]
        weights: list[list[int]] = [[] for _ in projects]
        for v, ballot in enumerate(ballots):
            chosen = ballot_weights(ballot, kind)
            # A ballot's key: its project indices, then (weighted kinds) their weights.
            js = sorted(index[pid] for pid in chosen if pid in index)
            if kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK):
                key = tuple(js)
            else:
                ids = [projects[j].id for j in js]
                key = (*js, *(chosen[pid] for pid in ids))
            g = groups.get(key)
            if g is None:
                g = groups[key] = len(groups)
                for j in js:
                    voters[j].append(g)
                    weights[j].append(chosen[projects[j].id])
            group_of[v] = g
        self.group_of = group_of
        size = np.bincount(group_of, minlength=len(groups)).astype(np.float64)
        self.size = size
        self.voters: list[npt.NDArray[np.int64]] = [np.array(v, dtype=np.int64) for v in voters]
        self.sizes = [size[v] for v in self.voters]
        # None where every weight is 1 (approval ballots): the price needs no division then.
        self.weights: list[npt.NDArray[np.float64] | None] = [
            None if all(x == 1 for x in w) else np.array(w, dtype=np.float64) for w in weights
        ]
        self.loads = [
            sizes if w is None else w * sizes
            for w, sizes in zip(self.weights, self.sizes, strict=True)
        ]
        self.total_loads = [float(load.sum()) for load in self.loads]
        self.costs = [p.cost for p in projects]
        self.n_voters = len(ballots)

    def price(self, j: int, budgets: npt.NDArray[np.float64]) -> float | None:
        """The least price q per unit of weight at which project j's supporters, paying
        ``min(b, q * w)`` each, pay its cost; None when their money is not enough.

        Supporters whose money covers less than q units of weight (b / w < q) pay all they
        have, the rest pay q * w. Starting from an equal split, q is raised until no further
        supporter falls short; each step only adds supporters to those paying in full, so it
        ends after a few steps.
        """
        cost = self.costs[j]
        sizes = self.sizes[j]
        mine = budgets[self.voters[j]]
        money = mine * sizes  # not a dot product: BLAS threads fight on a busy machine
        if float(money.sum()) < cost * (1 - TOLERANCE):
            return None
        weights = self.weights[j]
        cover = mine if weights is None else mine / weights
        price = cost / self.total_loads[j]
        short = cover < price * (1 - TOLERANCE)
        count = np.count_nonzero(short)
        if count == 0:
            return price
        load = self.loads[j]
        while True:
            rest = self.total_loads[j] - float(load[short].sum())
            if rest <= 0:  # everyone pays in full: only rounding can get here
                return float(cover.max())
            price = (cost - float(money[short].sum())) / rest
            short |= cover < price * (1 - TOLERANCE)
            now = np.count_nonzero(short)
            if now == count:
                return price
            count = now


def _equal_shares_fixed(
    support: _Support,
    tie_order: npt.NDArray[np.int64],
    per_voter: float,
    utility: Utility,
) -> tuple[list[int], list[npt.NDArray[np.float64]]]:
    """One run of the Method of Equal Shares with ``per_voter`` money for each voter.

    Returns the chosen project indices in the order chosen and, for each, what each member
    of each supporting group paid. A project's criterion (price per unit of utility) can
    only grow as voters spend, so candidates are examined best-previous-first and the scan
    stops once no remaining candidate could beat the best found (equalshares.net's
    shortcut). ``tie_order[j]`` is project j's place in the tie-breaking order.
    """
    budgets = np.full(support.size.shape, per_voter, dtype=np.float64)
    bound = np.full(len(support.costs), np.inf)
    for j, c in enumerate(support.costs):
        if c > 0 and support.voters[j].size > 0:
            bound[j] = 0.0
    chosen: list[int] = []
    payments: list[npt.NDArray[np.float64]] = []
    while True:
        best = -1
        best_rho = 0.0
        best_price = 0.0
        for j in np.lexsort((tie_order, bound)).tolist():
            if bound[j] == np.inf or (best >= 0 and bound[j] > best_rho * (1 + TOLERANCE)):
                break
            price = support.price(j, budgets)
            if price is None:
                bound[j] = np.inf
                continue
            rho = price / support.costs[j] if utility == "cost" else price
            bound[j] = rho
            if (
                best < 0
                or rho < best_rho * (1 - TOLERANCE)
                or (rho <= best_rho * (1 + TOLERANCE) and tie_order[j] < tie_order[best])
            ):
                best, best_rho, best_price = j, rho, price
        if best < 0:
            break
        voters = support.voters[best]
        weights = support.weights[best]
        paid = np.minimum(budgets[voters], best_price if weights is None else best_price * weights)
        budgets[voters] -= paid
        chosen.append(best)
        payments.append(paid)
        bound[best] = np.inf
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

    add1 completion: while the outcome leaves money for some unfunded project that someone
    chose, every voter's share grows by 1 currency unit and the method runs again; it stops
    at the first outcome that leaves no such money (kept) or costs more than the real budget
    (the one before is kept). Projects it adds are "won-completion".
    """
    support = _Support(projects, ballots, kind)
    score = {p.id: round(load) for p, load in zip(projects, support.total_loads, strict=True)}
    position = {p.id: i for i, p in enumerate(_order(projects, score))}
    tie_order = np.array([position[p.id] for p in projects], dtype=np.int64)
    chosen: list[int] = []
    payments: list[npt.NDArray[np.float64]] = []
    first: set[int] = set()
    share = 0.0
    if ballots:
        per_voter = share = budget / len(ballots)
        chosen, payments = _equal_shares_fixed(support, tie_order, per_voter, utility)
        first = set(chosen)
        step = 0
        fundable = [j for j, voters in enumerate(support.voters) if voters.size > 0]
        while completion:
            left = budget - sum(support.costs[j] for j in chosen)
            taken = set(chosen)
            if all(support.costs[j] > left for j in fundable if j not in taken):
                break
            step += 1
            more, more_payments = _equal_shares_fixed(support, tie_order, per_voter + step, utility)
            if sum(support.costs[j] for j in more) > budget:
                break
            chosen, payments, share = more, more_payments, per_voter + step

    fates: dict[str, ProjectFate] = {}
    remaining = budget
    for rank, (j, paid) in enumerate(zip(chosen, payments, strict=True), start=1):
        project = projects[j]
        by_group = np.zeros(support.size.shape, dtype=np.float64)
        by_group[support.voters[j]] = paid
        by_voter = by_group[support.group_of]
        payers = np.flatnonzero(by_voter > 0)
        paid_by = dict(zip(payers.tolist(), by_voter[payers].tolist(), strict=True))
        fates[project.id] = ProjectFate(
            project=project.id,
            selected=True,
            score=score[project.id],
            reason=Reason.WON if j in first else Reason.WON_COMPLETION,
            remaining_before=remaining,
            paid_by=MappingProxyType(paid_by),
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
        voter_share=share,
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
    if any(p.cost <= 0 for p in projects):
        raise ValueError("project costs must be positive")
    if rule == RuleName.GREEDY:
        return greedy(projects, ballots, budget, kind=kind)
    if rule == RuleName.GREEDY_STOP:
        return greedy(projects, ballots, budget, kind=kind, stop=True)
    if rule == RuleName.EQUAL_SHARES:
        return equal_shares(projects, ballots, budget, kind=kind)
    raise ValueError(f"unknown rule {rule!r}")
