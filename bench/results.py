"""Benchmark results: the table printed on the terminal and the JSON kept in bench/results/.

Every file carries the machine's core count, the commit, the time, the software versions, the
load average (the machine may be shared) and the parameters, so numbers can be compared
across commits and machines. Files are written to a temporary name and renamed, so an
interrupted run never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
LATEST = "latest.json"
PACKAGES = ("django", "channels", "channels-redis", "daphne", "redis", "wagtail", "twisted")


@dataclass
class Result:
    """One benchmark's outcome: a table (``columns`` name keys of each row) plus a summary.

    ``summary`` holds the headline numbers and target checks; ``notes`` say what a reader must
    know to interpret the table (e.g. what was skipped, and why); ``raw`` keeps each
    measurement's full report (all percentiles, errors, close codes) for the JSON file.
    """

    name: str
    description: str
    parameters: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    raw: list[dict[str, Any]] = field(default_factory=list)  # every measurement, in full

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def git_commit(cwd: Path | None = None) -> str:
    """HEAD's hash, with ``-dirty`` when the work tree has uncommitted changes."""
    cwd = cwd or Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_meta(*, quick: bool) -> dict[str, Any]:
    """Facts about this run that every result file repeats."""
    return {
        "cpu_count": os.cpu_count(),
        "commit": git_commit(),
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in PACKAGES},
        "platform": platform.platform(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "mode": "quick" if quick else "full",
        "argv": sys.argv[1:],
    }


def _atomic_write(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)


def write_result(result: Result, meta: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    """Write ``<name>.json`` and refresh ``latest.json`` (every benchmark's newest result)."""
    directory.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "load_average_end": [round(x, 2) for x in os.getloadavg()]}
    path = directory / f"{result.name}.json"
    _atomic_write(path, {"meta": meta, **result.as_dict()})
    write_latest(directory)
    return path


def write_latest(directory: Path = RESULTS_DIR) -> Path:
    """Combine every ``<name>.json`` in ``directory`` into ``latest.json``."""
    combined: dict[str, Any] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name == LATEST:
            continue
        try:
            combined[path.stem] = json.loads(path.read_text())
        except ValueError:
            continue
    latest = directory / LATEST
    _atomic_write(latest, combined)
    return latest


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def format_table(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """A plain fixed-width table (also valid Markdown) of ``rows`` under ``columns``."""
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + " |",
        "| " + " | ".join("-" * w for w in widths) + " |",
    ]
    for row in cells:
        lines.append("| " + " | ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)


def render(result: Result) -> str:
    parts = [f"## {result.name}: {result.description}", format_table(result.columns, result.rows)]
    if result.summary:
        parts.append("\n".join(f"- {k}: {_cell(v)}" for k, v in result.summary.items()))
    if result.notes:
        parts.append("\n".join(f"- note: {n}" for n in result.notes))
    return "\n\n".join(parts)
