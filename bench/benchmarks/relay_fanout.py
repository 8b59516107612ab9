"""The bare relay's fan-out on each channel layer: the floor every live stream is held to.

N sockets on ``/ws/bench/relay/`` (a consumer that only relays a group message to its
socket), one daphne process, triggers at a steady rate; latency from a trigger to its receipt
at every client, and missed sequence numbers. Layers: the Redis pub/sub layer we ship;
``--quick`` adds channels-redis's core layer and the in-memory layer for comparison.
"""

from __future__ import annotations

from bench import fanout
from bench.results import Result

NAME = "relay_fanout"
ORDER = 10
DESCRIPTION = "bare relay fan-out: p50/p95/p99 trigger→receipt, gaps, per channel layer"
LAYERS = ("memory", "pubsub", "core")
# The full run measures the shipped layer; the core layer (rejected for storms, see
# docs/performance.md) and the in-memory one (development without Redis) are in --quick, to
# keep `make bench` within 15 minutes on a fresh machine.
FULL_LAYERS = ("pubsub",)
# On the shipped layer, also the relay without Channels' per-message thread hop (what it costs).
STREAMS = {
    "memory": (fanout.RELAY,),
    "pubsub": (fanout.RELAY, fanout.RELAY_DIRECT),
    "core": (fanout.RELAY,),
}


# A few sizes per layer: board_fanout measures the bare relay at every size up to 2000 next
# to boards, and `make bench` must stay well under 15 minutes on a fresh machine.
SIZES = {"pubsub": (100, 1000), "memory": (1000,), "core": (1000,)}
# The relay without the per-message hop, at the larger size only (full run).
DIRECT_FROM = 1000


def plan(quick: bool, layer: str = "pubsub") -> tuple[tuple[int, ...], float]:
    """Client counts and seconds of triggers per measurement."""
    return ((200,), 3.0) if quick else (SIZES[layer], 8.0)


def layers(quick: bool) -> tuple[str, ...]:
    return LAYERS if quick else FULL_LAYERS


def streams(quick: bool, layer: str, clients: int) -> tuple:
    if quick or clients >= DIRECT_FROM:
        return STREAMS[layer]
    return STREAMS[layer][:1]


def run(ctx) -> Result:
    sizes, seconds = plan(ctx.quick)
    rows, raw = [], []
    for layer in layers(ctx.quick):
        print(f" layer {layer}:", flush=True)
        sizes, seconds = plan(ctx.quick, layer)
        with ctx.servers.start(layer=layer) as running:
            for clients in sizes:
                load = fanout.steady_load(clients, seconds)
                for stream in streams(ctx.quick, layer, clients):
                    print(f"  {clients} clients, {load.rate:g}/s, {stream.label} …", flush=True)
                    result = fanout.measure(running, stream, clients, load)
                    result["layer"] = layer
                    raw.append(result)
                    rows.append(fanout.row(result, layer=layer))
    summary = {}
    for layer in layers(ctx.quick):
        at = {r["clients"]: r for r in raw if r["layer"] == layer and r["stream"] == "bare relay"}
        top = max(at)
        summary[f"{layer}: p99 ms at {top} clients"] = at[top]["latency_ms"]["p99"]
        summary[f"{layer}: all delivered, no gaps"] = all(fanout.clean(r) for r in at.values())
    direct = {r["clients"]: r for r in raw if r["stream"] == fanout.RELAY_DIRECT.label}
    top = max(direct)
    summary[f"pubsub, no per-message hop: p99 ms at {top} clients"] = direct[top]["latency_ms"][
        "p99"
    ]
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "sizes": {layer: plan(ctx.quick, layer)[0] for layer in layers(ctx.quick)},
            "layers": layers(ctx.quick),
            "seconds_per_measurement": seconds,
            "offered_deliveries_per_s": fanout.DELIVERIES_PER_SECOND,
            "processes": 1,
        },
        columns=["layer", *fanout.COLUMNS],
        rows=rows,
        summary=summary,
        notes=[
            "Latency: from the load client sending a trigger frame to each client receiving "
            "the relayed frame (one clock). The load client runs on the same machine.",
            "Trigger rate per row: about 1000 deliveries/s offered (1000 / clients triggers/s, "
            "clamped to 0.5-5), so each row shows fan-out time, not a growing queue.",
            "'relay, no per-message hop' skips the sync_to_async(close_old_connections) that "
            "Channels 4.3 runs before every handler: the difference is that hop's cost.",
        ],
        raw=raw,
    )
