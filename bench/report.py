"""``python -m bench.report``: the newest results (bench/results/latest.json) as Markdown.

Used to refresh the table in docs/performance.md from an actual run.
"""

from __future__ import annotations

import json
import sys

from bench.cli import discover
from bench.results import LATEST, RESULTS_DIR, Result, render


def main() -> int:
    path = RESULTS_DIR / LATEST
    if not path.exists():
        print(f"no results yet ({path}); run `make bench` first", file=sys.stderr)
        return 1
    results = json.loads(path.read_text())
    order = [name for name in discover() if name in results]
    for name in order + sorted(set(results) - set(order)):
        data = results[name]
        meta = data["meta"]
        result = Result(
            name=name,
            description=data["description"],
            parameters=data["parameters"],
            columns=data["columns"],
            rows=data["rows"],
            summary=data["summary"],
            notes=data["notes"],
        )
        print(render(result).replace("## ", "### ", 1))
        print(
            f"\n_{meta['mode']} run, {meta['timestamp']}, commit {meta['commit'][:12]}, "
            f"{meta['cpu_count']} cores, load average {meta['load_average_start']} at start "
            f"and {meta.get('load_average_end')} at end, "
            f"{data['parameters'].get('seconds', '?')} s._\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
