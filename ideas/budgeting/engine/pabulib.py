"""Read and write pabulib ``.pb`` files, the participatory-budgeting data library's format.

A ``.pb`` file has three sections, each a ``;``-separated table: ``META`` (``key;value``
rows: budget, vote_type, rule, ...), ``PROJECTS`` (``project_id;cost;...``, often ``votes``,
``name`` and ``selected``) and ``VOTES`` (``voter_id;vote;...``, where ``vote`` lists project
ids separated by commas — for ordinal ballots most preferred first — and cumulative ballots
add a ``points`` column in the same order). The format is documented in Faliszewski et al.,
"Participatory Budgeting: Data, Tools and Analysis" (IJCAI 2023); ``pabutools`` reads it.

This is open data for programs, not a spreadsheet: cells are written literally (no formula
escaping), quoted only where the ``csv`` module needs to.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .types import Ballot, BallotKind, Project, RuleName

SECTIONS = ("META", "PROJECTS", "VOTES")
#: What a file's ``vote_type`` reads as ("knapsack" is not pabulib's, accepted on reading).
VOTE_TYPES = {
    "approval": BallotKind.APPROVAL,
    "choose-1": BallotKind.APPROVAL,
    "cumulative": BallotKind.CUMULATIVE,
    "ordinal": BallotKind.RANKED,
    "knapsack": BallotKind.KNAPSACK,
}
#: The ``vote_type`` to write for each ballot kind. pabulib has no knapsack type: a knapsack
#: ballot is a set of approved projects (whose costs fit the budget), and pabutools refuses
#: any vote_type but approval, choose-1, cumulative, scoring and ordinal.
PABULIB_VOTE_TYPE = {
    BallotKind.APPROVAL: "approval",
    BallotKind.KNAPSACK: "approval",
    BallotKind.CUMULATIVE: "cumulative",
    BallotKind.RANKED: "ordinal",
}
#: The META ``rule`` to write for each of our rules (pabulib's names).
PABULIB_RULE = {
    RuleName.GREEDY: "greedy",
    RuleName.GREEDY_STOP: "greedy-no-skip",
    RuleName.EQUAL_SHARES: "equalshares/add1",
}


def rule_from_pabulib(rule: str) -> RuleName | None:
    """Our rule for a file's META ``rule``, or None when we do not implement it.

    ``greedy-exclusive`` (greedy with mutually exclusive projects) counts as greedy: the
    files carry no exclusivity data, and on Warszawa Wesoła 2024 plain greedy gives the
    funded projects exactly.
    """
    rule = rule.strip().lower()
    if rule == "greedy-exclusive":
        return RuleName.GREEDY
    return next((ours for ours, theirs in PABULIB_RULE.items() if theirs == rule), None)


class PabulibError(ValueError):
    """The text is not a ``.pb`` file this reader understands; the message says where."""


@dataclass
class Election:
    """One budget's election: ``meta`` as in the file; per-project and per-voter columns
    other than those the dataclasses hold are kept so that writing gives the file back."""

    meta: dict[str, str]
    projects: list[Project]
    ballots: list[Ballot]
    project_meta: dict[str, dict[str, str]] = field(default_factory=dict)
    voter_meta: list[dict[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> BallotKind:
        return ballot_kind(self.meta)

    @property
    def budget(self) -> int:
        return _whole(self.meta.get("budget", "0"), "META budget")

    @property
    def selected(self) -> list[str] | None:
        """Projects the ``selected`` column marks as funded (``None`` if there is no column)."""
        if not any("selected" in m for m in self.project_meta.values()):
            return None
        return [p.id for p in self.projects if _flag(self.project_meta[p.id].get("selected"))]


def ballot_kind(meta: dict[str, str]) -> BallotKind:
    vote_type = meta.get("vote_type", "approval").strip().lower()
    try:
        return VOTE_TYPES[vote_type]
    except KeyError:
        raise PabulibError(f"vote_type {vote_type!r} is not supported") from None


def _flag(value: str | None) -> bool:
    return (value or "").strip() not in ("", "0", "0.0", "False", "false")


def _whole(text: str, where: str) -> int:
    """A money amount as whole units; pabulib writes some costs as ``100000.0``."""
    try:
        return int(Decimal(text.strip()).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        raise PabulibError(f"{where}: {text!r} is not a number") from None


def read_pb(text: str) -> Election:
    """Parse a ``.pb`` file's text. Raises :class:`PabulibError` on malformed input."""
    rows: dict[str, list[list[str]]] = {name: [] for name in SECTIONS}
    section: str | None = None
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"):
        if not row or all(not cell.strip() for cell in row):
            continue
        head = row[0].strip()
        if len(row) == 1 and head.upper() in SECTIONS:
            if section is None and head.upper() != "META":
                raise PabulibError("the file must start with a META section")
            section = head.upper()
            continue
        if section is None:
            raise PabulibError("the file must start with a META section")
        rows[section].append(row)
    for name in SECTIONS:
        if not rows[name]:
            raise PabulibError(f"the {name} section is missing or has no header")

    meta = {row[0].strip(): ";".join(row[1:]).strip() for row in rows["META"][1:]}
    kind = ballot_kind(meta)

    header = [h.strip() for h in rows["PROJECTS"][0]]
    if header[:2] != ["project_id", "cost"] and not {"project_id", "cost"} <= set(header):
        raise PabulibError("PROJECTS needs project_id and cost columns")
    projects: list[Project] = []
    project_meta: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows["PROJECTS"][1:], start=2):
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        pid = values.get("project_id", "")
        if not pid:
            raise PabulibError(f"PROJECTS row {line}: no project_id")
        if pid in project_meta:
            raise PabulibError(f"PROJECTS row {line}: project {pid!r} appears twice")
        cost = _whole(values.get("cost", ""), f"PROJECTS row {line} cost")
        projects.append(Project(id=pid, cost=cost, name=values.get("name", "")))
        project_meta[pid] = values

    header = [h.strip() for h in rows["VOTES"][0]]
    if "vote" not in header:
        raise PabulibError("VOTES needs a vote column")
    ballots: list[Ballot] = []
    voter_meta: list[dict[str, str]] = []
    for line, row in enumerate(rows["VOTES"][1:], start=2):
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        chosen = [pid.strip() for pid in values.get("vote", "").split(",") if pid.strip()]
        unknown = [pid for pid in chosen if pid not in project_meta]
        if unknown:
            raise PabulibError(f"VOTES row {line}: unknown project {unknown[0]!r}")
        if len(set(chosen)) != len(chosen):
            raise PabulibError(f"VOTES row {line}: a project is listed twice")
        if kind == BallotKind.RANKED:
            choices = {pid: rank for rank, pid in enumerate(chosen, start=1)}
        elif kind == BallotKind.CUMULATIVE or "points" in values:
            points = [p.strip() for p in values.get("points", "").split(",") if p.strip()]
            if len(points) != len(chosen):
                raise PabulibError(f"VOTES row {line}: vote and points differ in length")
            choices = {
                pid: _whole(p, f"VOTES row {line} points")
                for pid, p in zip(chosen, points, strict=True)
            }
        else:
            choices = dict.fromkeys(chosen, 1)
        ballots.append(Ballot(choices=choices))
        voter_meta.append({k: v for k, v in values.items() if k not in ("vote", "points")})
    return Election(
        meta=meta,
        projects=projects,
        ballots=ballots,
        project_meta=project_meta,
        voter_meta=voter_meta,
    )


def _columns(rows: list[dict[str, str]], first: list[str], skip: set[str]) -> list[str]:
    columns = list(first)
    for row in rows:
        columns.extend(k for k in row if k not in columns and k not in skip)
    return columns


def write_pb(election: Election) -> str:
    """The election as ``.pb`` text. ``num_projects`` and ``num_votes`` are added to META
    when missing (pabutools needs them); other META keys are written as given."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta.setdefault("num_projects", str(len(election.projects)))
    meta.setdefault("num_votes", str(len(election.ballots)))
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows([key, value] for key, value in meta.items())

    project_rows = []
    for p in election.projects:
        row = {**election.project_meta.get(p.id, {}), "project_id": p.id}
        try:
            same_cost = _whole(row.get("cost", ""), "cost") == p.cost
        except PabulibError:
            same_cost = False
        if not same_cost:
            row["cost"] = str(p.cost)
        if p.name:
            row["name"] = p.name
        project_rows.append(row)
    columns = _columns(project_rows, ["project_id", "cost"], set())
    writer.writerow(["PROJECTS"])
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in project_rows)

    kind = ballot_kind(meta)
    voter_rows = []
    for i, ballot in enumerate(election.ballots):
        extra = election.voter_meta[i] if i < len(election.voter_meta) else {}
        row = {"voter_id": str(i + 1), **extra}
        if kind == BallotKind.RANKED:
            row["vote"] = ",".join(sorted(ballot.choices, key=lambda pid: ballot.choices[pid]))
        else:
            row["vote"] = ",".join(ballot.choices)
        if kind == BallotKind.CUMULATIVE:
            row["points"] = ",".join(str(points) for points in ballot.choices.values())
        voter_rows.append(row)
    first = ["voter_id", "vote"] + (["points"] if kind == BallotKind.CUMULATIVE else [])
    columns = _columns(voter_rows, first, set())
    writer.writerow(["VOTES"])
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in voter_rows)
    return out.getvalue()
