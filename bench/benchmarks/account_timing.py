"""Sign-up and password reset take as long for a registered address as for a new one.

An attacker who times ``POST /accounts/signup/`` or the password reset learns whether an
address has an account unless both paths do the same work (community/signup.py). Medians of
10 tries per case (5 in --quick) through Django's test client with the production password
hasher (:mod:`bench.account_probe`, a separate process on a throwaway SQLite database).
Target: the medians of each pair differ by less than 10%.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.results import Result

NAME = "account_timing"
ORDER = 90
DESCRIPTION = "sign-up and password reset: registered vs new address medians (target < 10%)"
TARGET_PERCENT = 10
PAIRS = (
    ("sign-up", "sign-up, registered address", "sign-up, new address"),
    ("password reset", "reset, known address", "reset, unknown address"),
)


def measure(tries: int) -> dict[str, list[float]]:
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="bench-accounts-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "DJANGO_DEBUG": "true",
            "RATE_LIMITS": "off",
            "STARTUP_CHECK": "false",
            "PYTHONPATH": str(root),
        }
        env.pop("REDIS_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "bench.account_probe", str(tries)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(ctx) -> Result:
    tries = 5 if ctx.quick else 10
    print(f" {tries} tries per case …", flush=True)
    timings = measure(tries)
    rows = []
    for label, first, second in PAIRS:
        a, b = statistics.median(timings[first]), statistics.median(timings[second])
        rows.append(
            {
                "flow": label,
                "known ms": round(a, 1),
                "unknown ms": round(b, 1),
                "difference %": round(abs(a - b) / max(a, b) * 100, 1),
            }
        )
    columns = ["flow", "known ms", "unknown ms", "difference %"]
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={"tries": tries, "database": "sqlite", "hasher": "settings default"},
        columns=columns,
        rows=rows,
        summary={
            **{f"{r['flow']} difference %": r["difference %"] for r in rows},
            f"target < {TARGET_PERCENT}%": all(r["difference %"] < TARGET_PERCENT for r in rows),
        },
        notes=[
            "known = an address with an account; unknown = a new address. Medians after one "
            "warm-up round; known and unknown tries alternate."
        ],
        raw=[{"case": case, "ms": values} for case, values in timings.items()],
    )
