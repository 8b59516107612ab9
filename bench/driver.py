"""Runs the load client (:mod:`bench.loadclient`) as a separate process and reads its report.

The load client must not share a process (or a GIL) with the runner or the servers, so each
measurement spawns a fresh one. Its stdout is a stream of JSON lines; ``on_event`` sees each
(e.g. to sample server CPU at ``measure_start``/``measure_end``) and the final ``result`` is
returned. The process is killed if the runner is interrupted.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

from config.cluster import BASE_DIR

EventHandler = Callable[[dict[str, Any]], None]


class LoadClientError(RuntimeError):
    pass


def _spawn(spec: dict[str, Any]) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.loadclient"],
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    process.stdin.write(json.dumps(spec) + "\n")
    process.stdin.flush()
    return process


def _events(process: subprocess.Popen) -> Iterator[dict[str, Any]]:
    for line in process.stdout:
        line = line.strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except ValueError:
            print(f"load client: {line}", file=sys.stderr)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            stream.close()


def run(spec: dict[str, Any], on_event: EventHandler | None = None) -> dict[str, Any]:
    """Run one load-client measurement to its end; returns the ``result`` event's data."""
    process = _spawn(spec)
    try:
        for event in _events(process):
            kind = event.pop("event")
            if kind == "result":
                return event
            if kind == "error":
                raise LoadClientError(event.get("message", "load client failed"))
            if on_event is not None:
                on_event({"event": kind, **event})
        raise LoadClientError(f"load client exited ({process.wait()}) without a result")
    finally:
        _stop(process)


@contextlib.contextmanager
def holding(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Idle mode: yields the ``ready`` event while the sockets stay open; closes them after."""
    process = _spawn({**spec, "mode": "idle"})
    try:
        events = _events(process)
        for event in events:
            if event["event"] == "error":
                raise LoadClientError(event.get("message", "load client failed"))
            if event["event"] == "ready":
                yield event
                break
        else:
            raise LoadClientError("load client exited before its sockets were ready")
        process.stdin.write("close\n")
        process.stdin.flush()
        for event in events:
            if event["event"] == "result":
                break
    finally:
        _stop(process)
