"""The engine's vocabulary: projects, ballots, ballot rules, counting rules and results.

Plain frozen dataclasses, no Django: the budgeting app converts its models to these, the
pabulib reader builds them from ``.pb`` files, and the results page reads :class:`Result`.
Money is in whole currency units (``int``) everywhere a person would see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


@dataclass(frozen=True)
class Project:
    """A costed project on a ballot. ``id`` is stable (the database id as text, or pabulib's)."""

    id: str
    cost: int
    name: str = ""


@dataclass(frozen=True)
class Ballot:
    """One voter's choices: project id -> weight.

    The weight's meaning follows the ballot kind: approval and knapsack 1 for each chosen
    project; cumulative the points given; ranked the rank position 1..n (1 = first choice).
    """

    choices: Mapping[str, int]


class BallotKind(StrEnum):
    APPROVAL = "approval"  # choose between min_choices and max_choices projects
    KNAPSACK = "knapsack"  # choose projects whose total cost fits the budget
    CUMULATIVE = "cumulative"  # spread `points` points over projects
    RANKED = "ranked"  # order up to max_choices projects, 1 = first choice


@dataclass(frozen=True)
class BallotRules:
    """What a valid ballot looks like for one budget (set by the agency per budget)."""

    kind: BallotKind
    budget: int
    min_choices: int = 0
    max_choices: int | None = None
    points: int | None = None  # cumulative ballots: total points each voter may give


class RuleName(StrEnum):
    GREEDY = "greedy"  # "Most votes first": skip projects that no longer fit
    GREEDY_STOP = "greedy-stop"  # "Most votes first", stopping at the first that does not fit
    EQUAL_SHARES = "equal-shares"  # "Method of Equal Shares" with add1 completion


class Reason(StrEnum):
    """Why a project was or was not funded (``ProjectFate.reason``)."""

    WON = "won"
    WON_COMPLETION = "won-completion"  # MES: chosen in the add1 completion
    SKIPPED_NO_LONGER_FITS = "skipped-no-longer-fits"
    STOPPED = "stopped"  # greedy-stop: counting stopped before its turn (or at it)
    NOT_REACHED = "not-reached"  # MES: its supporters did not have enough money left
    TOO_EXPENSIVE = "too-expensive"  # costs more than the whole budget


@dataclass(frozen=True)
class ProjectFate:
    """One project's fate, with what a results page needs to explain it.

    ``score``: ballots choosing it (approval, knapsack), points (cumulative), Borda points
    (ranked). ``remaining_before``: budget left when its turn came (greedy), or, under Equal
    Shares, the budget left unspent by the outcome when it was chosen or rejected.
    ``paid_by``: Equal Shares only, ballot index -> amount that voter's share paid.
    ``rank``: position in the order the rule considered (greedy) or chose (Equal Shares) it,
    1-based; projects never considered in order rank after all that were.
    """

    project: str
    selected: bool
    score: int | float
    reason: str
    remaining_before: int
    paid_by: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    rank: int = 0


@dataclass(frozen=True)
class Result:
    """The outcome of counting: selected project ids in the order chosen, and every fate.

    ``voter_share``: Equal Shares only, the money each voter's share held in the run that
    gave the outcome (budget / voters, plus the add1 completion's raises); 0 otherwise.
    """

    rule: RuleName
    budget: int
    selected: tuple[str, ...]
    spent: int
    fates: Mapping[str, ProjectFate]
    voter_share: float = 0.0
