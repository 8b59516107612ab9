"""Fan-out through the real platform path, as a ratio to the bare relay in the same run.

A health ping goes through everything a board event will: ``LiveConsumer`` (size, rate and
schema checks), ``realtime.events.apublish`` (the envelope, the shared sequence counter in the
Redis cache), the Redis pub/sub channel layer, and ``client_frame`` on every receiving socket
— and ``health.pong`` reaches every client. It stands in for board fan-out until boards exist;
``board_fanout`` will be the same module with a board's :class:`~bench.fanout.Stream`.
"""

from __future__ import annotations

from bench import fanout
from bench.results import Result

NAME = "health_fanout"
ORDER = 20
DESCRIPTION = "platform fan-out (LiveConsumer, apublish, pub/sub layer) vs the bare relay"
TARGET_RATIO = 1.25  # the target for board fan-out at 1000 clients
TARGET_CLIENTS = 1000


def run(ctx) -> Result:
    # One size: board_fanout is the full curve; this keeps the stand-in comparable over runs.
    sizes, seconds = ((200,), 3.0) if ctx.quick else ((1000,), 8.0)
    with ctx.servers.start(layer="pubsub") as running:
        rows, raw = fanout.compare_with_relay(running, fanout.HEALTH, sizes, seconds)
    at = TARGET_CLIENTS if TARGET_CLIENTS in sizes else max(sizes)
    platform = next(r for r in raw if r["stream"] == fanout.HEALTH.label and r["clients"] == at)
    factor = platform["p99_ratio_to_relay"]
    measured = [r for r in raw if r["stream"] == fanout.HEALTH.label]
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "sizes": sizes,
            "layer": "pubsub",
            "processes": 1,
            "seconds_per_measurement": seconds,
            "offered_deliveries_per_s": fanout.DELIVERIES_PER_SECOND,
        },
        columns=["p99 x relay", *fanout.COLUMNS],
        rows=rows,
        summary={
            f"p99 at {at} clients (ms)": platform["latency_ms"]["p99"],
            f"p99 x relay at {at} clients": factor,
            f"target p99 <= {TARGET_RATIO} x relay": factor is not None and factor <= TARGET_RATIO,
            "every event delivered, no gaps": all(fanout.clean(r) for r in measured),
        },
        notes=[
            "Each size runs the bare relay, then the health stream, on the same daphne "
            "process (Redis pub/sub layer, Redis cache for the sequence counter).",
            "The platform path without a database write (a websocket ping); board_fanout "
            "measures boards, with a vote over HTTP.",
        ],
        raw=raw,
    )
