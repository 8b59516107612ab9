"""Fan-out on one daphne process vs the same clients split across two sharing Redis.

The platform path (health stream, Redis pub/sub layer) at each size, on one process and on
two (``config.cluster.Cluster``, the processes ``make run-cluster`` starts; clients split
evenly, triggers sent through both). Two loads: the steady rate of the fan-out benchmarks
(latency) and a burst of triggers as fast as the servers take them (deliveries per second
until the last client has the last event: throughput).
"""

from __future__ import annotations

from bench import fanout
from bench.results import Result
from bench.stats import ratio

NAME = "scale_out"
ORDER = 50
DESCRIPTION = "one daphne process vs two sharing Redis: latency and throughput gain"


def burst(clients: int, quick: bool) -> fanout.Load:
    """Enough triggers at once to keep the servers busy for several seconds."""
    deliveries = 4000 if quick else 12000
    count = max(4, deliveries // clients)
    return fanout.Load(rate=50.0, count=count, warmup=2, settle=60)


def run(ctx) -> Result:
    sizes, seconds = ((200,), 3.0) if ctx.quick else ((1000,), 8.0)
    rows, raw = [], []
    for processes in (1, 2):
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
                    raw.append(result)
                    rows.append(fanout.row(result, processes=processes, load=kind))
    summary = {}
    for clients in sizes:
        pick = {(r["processes"], r["load"]): r for r in raw if r["clients"] == clients}
        one, two = pick[(1, "burst")], pick[(2, "burst")]
        summary[f"{clients} clients: throughput gain (2 vs 1 process)"] = ratio(
            two["deliveries_per_s"], one["deliveries_per_s"]
        )
        summary[f"{clients} clients: steady p99 ms, 1 -> 2 processes"] = (
            f"{pick[(1, 'steady')]['latency_ms']['p99']} -> {pick[(2, 'steady')]['latency_ms']['p99']}"
        )
    summary["every event delivered, no gaps"] = all(fanout.clean(r) for r in raw)
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={"sizes": sizes, "layer": "pubsub", "seconds_per_steady": seconds},
        columns=["processes", "load", *fanout.COLUMNS],
        rows=rows,
        summary=summary,
        notes=[
            "On a 2-core machine two daphne processes share the cores with Redis and the load "
            "client, so the gain is bounded well below 2x; on more cores it is not.",
            "Burst throughput: received deliveries / (last receipt - first trigger).",
        ],
        raw=raw,
    )
