"""Opinion engine: one opinion map of 20,000 participants x 500 statements at 5 % density.

Three planted opinion groups (9,000 / 6,000 / 5,000 people, ten common-ground statements,
85 % of votes follow the group), made by :func:`ideas.opinion.simulate.planted_votes`. Each
measurement runs in a fresh child process (no server, no database): the votes are built, then
:func:`ideas.opinion.engine.compute` is timed (wall clock, ``perf_counter``) and its peak
memory taken two ways — ``tracemalloc``'s peak during ``compute`` (numpy reports its arrays
to it) and the child's maximum resident set size (``getrusage``), which also holds the
interpreter, numpy and the input. CPU seconds (``process_time``, all threads) show the cost
apart from what other processes on the machine take. Three runs; the table shows each, the
summary the median time and the worst memory. Target: ≤ 10 s and ≤ 1 GB.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from bench.results import Result

NAME = "opinion_engine"
ORDER = 70
DESCRIPTION = "opinion map of 20,000 participants x 500 statements at 5% (<= 10 s, <= 1 GB)"
TARGET_SECONDS = 10.0
TARGET_MB = 1024.0
PARAMETERS = {
    "participants": 20_000,
    "statements": 500,
    "density": 0.05,
    "groups": [9_000, 6_000, 5_000],
    "common_ground": 10,
    "fidelity": 0.85,
}
ROOT = Path(__file__).resolve().parents[2]


def measure(seed: int) -> dict:
    """One measurement, in this process (run by the child)."""
    import resource
    import time
    import tracemalloc

    from ideas.opinion.engine import adjusted_rand_index, compute
    from ideas.opinion.simulate import planted_votes

    planted = planted_votes(
        PARAMETERS["groups"],
        PARAMETERS["statements"],
        density=PARAMETERS["density"],
        common_ground=PARAMETERS["common_ground"],
        fidelity=PARAMETERS["fidelity"],
        seed=seed,
    )
    tracemalloc.start()
    began, began_cpu = time.perf_counter(), time.process_time()
    result = compute(planted.matrix)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    keys = sorted(result.assignment)
    ari = adjusted_rand_index(
        [result.assignment[k] for k in keys], [planted.truth[k] for k in keys]
    )
    top = {c.statement for c in result.consensus[: PARAMETERS["common_ground"]]}
    return {
        "seed": seed,
        "votes": len(planted.matrix.values),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "compute_peak_mb": round(peak / 2**20, 1),
        "process_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "clustered": result.participants_clustered,
        "groups": [g.size for g in result.groups],
        "ari_vs_planted": round(ari, 4),
        "common_ground_in_top_consensus": len(top & set(planted.common_ground)),
    }


def run(ctx) -> Result:
    raw = []
    for seed in (1, 2, 3):
        print(f"  seed {seed} …", flush=True)
        child = subprocess.run(
            [sys.executable, "-m", "bench.benchmarks.opinion_engine", str(seed)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        raw.append(json.loads(child.stdout.strip().splitlines()[-1]))
    rows = [
        {
            "seed": r["seed"],
            "votes": r["votes"],
            "seconds": r["seconds"],
            "CPU seconds": r["cpu_seconds"],
            "compute peak MB (tracemalloc)": r["compute_peak_mb"],
            "process max RSS MB": r["process_maxrss_mb"],
            "groups": " / ".join(map(str, r["groups"])),
            "ARI vs planted": r["ari_vs_planted"],
            f"common ground in top {PARAMETERS['common_ground']}": r[
                "common_ground_in_top_consensus"
            ],
        }
        for r in raw
    ]
    seconds = statistics.median(r["seconds"] for r in raw)
    memory = max(r["process_maxrss_mb"] for r in raw)
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters=PARAMETERS,
        columns=list(rows[0]),
        rows=rows,
        summary={
            "median seconds": seconds,
            "worst process max RSS MB": memory,
            f"target <= {TARGET_SECONDS:g} s": seconds <= TARGET_SECONDS,
            f"target <= {TARGET_MB:g} MB": memory <= TARGET_MB,
        },
        notes=[
            "Each seed runs in a fresh child process; max RSS includes Python, numpy and the "
            "input votes, tracemalloc's peak is compute() alone.",
        ],
        raw=raw,
    )


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1)))
