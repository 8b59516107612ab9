"""Participatory budgeting: the Method of Equal Shares (with add1) on 100,000 ballots x 200
projects.

Synthetic approval ballots (:func:`ideas.budgeting.engine.simulate.approval_election`: 1-10
choices each, popularity log-normal, costs 10,000-1,000,000, budget a quarter of the total
cost). Each measurement runs in a fresh child process (no server, no database): the ballots
are built, then :func:`ideas.budgeting.engine.compute` with ``RuleName.EQUAL_SHARES`` is timed
(wall clock ``perf_counter`` and CPU ``process_time``), and greedy on the same ballots for
comparison. The add1 completion reruns the method once per 1-unit raise of every voter's
share; how many runs it took is reported, since it multiplies the time. The first seed is
also profiled (cProfile, a separate run: profiling slows it) and its top functions noted.
Three seeds; the summary shows the median. Target (issue 23): ≤ 10 s on this machine.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.results import Result

NAME = "pb_equal_shares"
ORDER = 75
DESCRIPTION = "Method of Equal Shares (add1) for 100,000 approval ballots x 200 projects (<= 10 s)"
TARGET_SECONDS = 10.0
PARAMETERS = {"voters": 100_000, "projects": 200, "max_choices": 10}
ROOT = Path(__file__).resolve().parents[2]


def measure(seed: int, profile: bool = False) -> dict:
    """One measurement, in this process (run by the child)."""
    import resource
    import time

    from ideas.budgeting.engine import RuleName, compute
    from ideas.budgeting.engine.simulate import approval_election

    election = approval_election(
        PARAMETERS["voters"],
        PARAMETERS["projects"],
        max_choices=PARAMETERS["max_choices"],
        seed=seed,
    )
    began, began_cpu = time.perf_counter(), time.process_time()
    result = compute(RuleName.EQUAL_SHARES, election.projects, election.ballots, election.budget)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    began = time.perf_counter()
    greedy = compute(RuleName.GREEDY, election.projects, election.ballots, election.budget)
    greedy_seconds = time.perf_counter() - began
    share = election.budget / len(election.ballots)
    report = {
        "seed": seed,
        "approvals": sum(len(b.choices) for b in election.ballots),
        "budget": election.budget,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "add1_runs": 1 + round(result.voter_share - share),
        "share_start": round(share, 2),
        "share_final": round(result.voter_share, 2),
        "selected": len(result.selected),
        "spent": result.spent,
        "greedy_seconds": round(greedy_seconds, 2),
        "greedy_selected": len(greedy.selected),
        "process_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        compute(RuleName.EQUAL_SHARES, election.projects, election.ballots, election.budget)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(6)
        report["profile"] = [
            line.strip()
            for line in out.getvalue().splitlines()
            if line.strip() and line.strip()[0].isdigit()
        ][:6]
    return report


def run(ctx) -> Result:
    raw = []
    for seed in (1, 2, 3):
        print(f"  seed {seed} …", flush=True)
        child = subprocess.run(
            [sys.executable, "-m", "bench.benchmarks.pb_equal_shares", str(seed)]
            + (["profile"] if seed == 1 else []),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        raw.append(json.loads(child.stdout.strip().splitlines()[-1]))
    rows = [
        {
            "seed": r["seed"],
            "approvals": r["approvals"],
            "seconds": r["seconds"],
            "CPU seconds": r["cpu_seconds"],
            "add1 runs": r["add1_runs"],
            "share start → final": f"{r['share_start']} → {r['share_final']}",
            "selected": r["selected"],
            "greedy seconds": r["greedy_seconds"],
            "process max RSS MB": r["process_maxrss_mb"],
        }
        for r in raw
    ]
    seconds = statistics.median(r["seconds"] for r in raw)
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters=PARAMETERS,
        columns=list(rows[0]),
        rows=rows,
        summary={
            "median seconds": seconds,
            f"target <= {TARGET_SECONDS:g} s": seconds <= TARGET_SECONDS,
        },
        notes=[
            "Each seed runs in a fresh child process; the time covers compute() only "
            "(building the ballots is not timed).",
            "Profile of seed 1 (tottime, top 6): " + " | ".join(raw[0].get("profile", [])),
        ],
        raw=raw,
    )


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1, "profile" in sys.argv)))
