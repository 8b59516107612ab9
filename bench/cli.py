"""``python -m bench [names...] [--quick] [--list]``: run benchmarks, print, write JSON.

Benchmarks are the modules of :mod:`bench.benchmarks` (discovered, ordered by their
``ORDER``); each has ``NAME``, ``DESCRIPTION`` and ``run(ctx) -> Result``. Servers are
stopped whatever happens, including Ctrl-C and SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from bench import benchmarks
from bench.results import RESULTS_DIR, machine_meta, render, write_result
from bench.servers import Servers


@dataclass
class Context:
    """What every benchmark gets: the mode, the server starter, the run's metadata."""

    quick: bool
    servers: Servers = field(default_factory=Servers)
    meta: dict[str, Any] = field(default_factory=dict)


def discover() -> dict[str, ModuleType]:
    modules = [
        importlib.import_module(f"{benchmarks.__name__}.{info.name}")
        for info in pkgutil.iter_modules(benchmarks.__path__)
        if not info.name.startswith("_")
    ]
    modules.sort(key=lambda m: (getattr(m, "ORDER", 100), m.NAME))
    return {module.NAME: module for module in modules}


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    available = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all): {', '.join(available)}"
    )
    parser.add_argument("--quick", action="store_true", help="fewer clients, shorter runs (≈3 min)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, module in available.items():
            print(f"{name:16} {module.DESCRIPTION}")
        return 0
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; try --list")
    selected = args.names or list(available)

    signal.signal(signal.SIGTERM, _interrupt)
    ctx = Context(quick=args.quick, meta=machine_meta(quick=args.quick))
    print(
        f"Benchmarks ({ctx.meta['mode']}): {', '.join(selected)} on {ctx.meta['cpu_count']} "
        f"cores, load average {ctx.meta['load_average_start']}",
        flush=True,
    )
    failed = []
    started = time.monotonic()
    for name in selected:
        module = available[name]
        print(f"\n== {name}: {module.DESCRIPTION}", flush=True)
        began = time.monotonic()
        try:
            result = module.run(ctx)
        except KeyboardInterrupt:
            print("\nInterrupted; servers stopped.", file=sys.stderr)
            return 130
        except Exception:
            traceback.print_exc()
            failed.append(name)
            continue
        result.parameters.setdefault("seconds", round(time.monotonic() - began, 1))
        path = write_result(result, ctx.meta)
        print("\n" + render(result), flush=True)
        print(f"\n(wrote {path.relative_to(RESULTS_DIR.parent.parent)})", flush=True)
    print(f"\nDone in {time.monotonic() - started:.0f} s.", flush=True)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
