"""The participatory-budgeting engine: ballots, counting rules and results that explain
themselves. Pure Python and numpy, no models; ``docs/budgeting.md`` describes it."""

from .ballots import validate_ballot
from .rules import compute
from .types import (
    Ballot,
    BallotKind,
    BallotRules,
    Project,
    ProjectFate,
    Reason,
    Result,
    RuleName,
)

__all__ = [
    "Ballot",
    "BallotKind",
    "BallotRules",
    "Project",
    "ProjectFate",
    "Reason",
    "Result",
    "RuleName",
    "compute",
    "validate_ballot",
]
