"""Resident memory per idle websocket: a daphne process before and after 1000 connections.

VmRSS (from /proc/<pid>/status) after warm-up (a few sockets opened and closed, so lazy
imports and caches are in), then with N sockets held open and idle. Measured for the
platform's ``LiveConsumer`` (health stream) and the bare relay consumer, each on a fresh
process with the Redis pub/sub layer. Target: at most 100 KB per connection.
"""

from __future__ import annotations

import time

from bench import driver, fanout
from bench.results import Result

NAME = "idle_memory"
ORDER = 40
DESCRIPTION = "resident memory per idle websocket connection (target <= 100 KB)"
TARGET_KB = 100


def hold(ctx, stream: fanout.Stream, clients: int) -> dict:
    spec = {
        "urls": None,
        "path": stream.path,
        "wait_first": stream.snapshot_first,
        "connect_concurrency": 100,
    }
    with ctx.servers.start(layer="pubsub") as running:
        spec["urls"] = running.ws_urls
        with driver.holding({**spec, "clients": 20}):
            pass
        running.wait_idle()
        time.sleep(1)
        before = running.rss_kb()[0]
        with driver.holding({**spec, "clients": clients}) as ready:
            running.wait_idle()
            time.sleep(1)
            during = running.rss_kb()[0]
        running.wait_idle()
        after = running.rss_kb()[0]
    connected = ready["connected"]
    per = round((during - before) / connected, 1) if connected else None
    return {
        "stream": stream.label,
        "clients": clients,
        "connected": connected,
        "errors": ready.get("errors", {}),
        "rss_before_kb": before,
        "rss_with_clients_kb": during,
        "rss_after_close_kb": after,
        "kb_per_connection": per,
    }


def run(ctx) -> Result:
    clients = 200 if ctx.quick else 1000
    streams = (fanout.HEALTH,) if ctx.quick else (fanout.RELAY, fanout.HEALTH)
    raw = []
    for stream in streams:
        print(f" {stream.label}: {clients} idle clients …", flush=True)
        raw.append(hold(ctx, stream, clients))
    base = raw[0]["kb_per_connection"] if raw[0]["stream"] == fanout.RELAY.label else None
    rows = [
        {
            "stream": r["stream"],
            "connected": r["connected"],
            "RSS before MB": round(r["rss_before_kb"] / 1024, 1),
            "RSS with clients MB": round(r["rss_with_clients_kb"] / 1024, 1),
            "RSS after close MB": round(r["rss_after_close_kb"] / 1024, 1),
            "KB / connection": r["kb_per_connection"],
            "x relay": round(r["kb_per_connection"] / base, 2) if base else None,
        }
        for r in raw
    ]
    platform = raw[-1]["kb_per_connection"]
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={"clients": clients, "layer": "pubsub", "processes": 1},
        columns=list(rows[0]),
        rows=rows,
        summary={
            "platform KB per connection": platform,
            f"target <= {TARGET_KB} KB": platform is not None and platform <= TARGET_KB,
        },
        notes=[
            "Python rarely returns freed memory to the OS, so 'after close' stays high; "
            "it is shown to make leaks visible across runs, not as a target.",
        ],
        raw=raw,
    )
