"""Fan-out on one daphne process vs the same clients split across two and four sharing Redis.

The platform path (health stream, Redis pub/sub layer) at each size, on one process, on two
and on four (``config.cluster.Cluster``, the websocket processes ``make run-cluster`` starts,
``WEB_PROCESSES=4`` for four; clients split evenly, triggers sent through every process). Two
loads: the steady rate of the fan-out benchmarks (latency) and a burst of triggers as fast as
the servers take them (deliveries per second until the last client has the last event:
throughput). Deliveries per CPU-second of the servers is the per-process figure the capacity
model in docs/operations.md multiplies: it holds if four processes sharing Redis deliver
about as much per CPU-second as one.
"""

from __future__ import annotations

from bench import fanout
from bench.results import Result
from bench.stats import ratio

NAME = "scale_out"
ORDER = 50
DESCRIPTION = (
    "one daphne process vs two and four sharing Redis: latency, throughput, per-CPU figure"
)
PROCESSES = (1, 2, 4)


def burst(clients: int, quick: bool) -> fanout.Load:
    """Enough triggers at once to keep the servers busy for several seconds."""
    deliveries = 4000 if quick else 12000
    count = max(4, deliveries // clients)
    return fanout.Load(rate=50.0, count=count, warmup=2, settle=60)


def per_cpu(result: dict) -> float | None:
    """Deliveries per second of server CPU (all processes together)."""
    cpu, delivered = result.get("server_cpu_pct"), result.get("deliveries_per_s")
    if not cpu or not delivered:
        return None
    return round(delivered / (cpu / 100))


def run(ctx) -> Result:
    sizes, seconds = ((200,), 3.0) if ctx.quick else ((1000,), 8.0)
    rows, raw = [], []
    for processes in PROCESSES:
        print(f" {processes} process(es):", flush=True)
        with ctx.servers.start(layer="pubsub", processes=processes) as running:
            for clients in sizes:
                for kind, load in (
                    ("steady", fanout.steady_load(clients, seconds)),
                    ("burst", burst(clients, ctx.quick)),
                ):
                    print(f"  {clients} clients, {kind} …", flush=True)
                    result = fanout.measure(running, fanout.HEALTH, clients, load)
                    result.update(processes=processes, load=kind)
                    result["deliveries_per_cpu_s"] = per_cpu(result)
                    raw.append(result)
                    row = fanout.row(result, processes=processes, load=kind)
                    row["deliveries per cpu-s"] = result["deliveries_per_cpu_s"]
                    rows.append(row)
    summary = {}
    for clients in sizes:
        pick = {(r["processes"], r["load"]): r for r in raw if r["clients"] == clients}
        one, two = pick[(1, "burst")], pick[(2, "burst")]
        summary[f"{clients} clients: throughput gain (2 vs 1 process)"] = ratio(
            two["deliveries_per_s"], one["deliveries_per_s"]
        )
        summary[f"{clients} clients: throughput gain (4 vs 1 process)"] = ratio(
            pick[(4, "burst")]["deliveries_per_s"], one["deliveries_per_s"]
        )
        summary[f"{clients} clients: steady p99 ms, 1 -> 2 -> 4 processes"] = " -> ".join(
            str(pick[(n, "steady")]["latency_ms"]["p99"]) for n in PROCESSES
        )
        summary[f"{clients} clients: burst deliveries per cpu-s, 4 processes / 1"] = ratio(
            pick[(4, "burst")]["deliveries_per_cpu_s"], one["deliveries_per_cpu_s"]
        )
    summary["every event delivered, no gaps"] = all(fanout.clean(r) for r in raw)
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "sizes": sizes,
            "layer": "pubsub",
            "seconds_per_steady": seconds,
            "processes": PROCESSES,
        },
        columns=["processes", "load", *fanout.COLUMNS, "deliveries per cpu-s"],
        rows=rows,
        summary=summary,
        notes=[
            "On a 2-core machine two daphne processes share the cores with Redis and the load "
            "client, so the gain is bounded well below 2x and four cannot gain more; on more "
            "cores they do. Deliveries per cpu-s shows whether each process still delivers as "
            "much per CPU-second when four share one Redis.",
            "Burst throughput: received deliveries / (last receipt - first trigger).",
        ],
        raw=raw,
    )
