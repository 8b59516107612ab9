"""Board fan-out: N clients on one live idea board, votes arriving at a steady rate.

Each vote is a real ``POST /ideas/<id>/support/`` by a different signed-in account (session
cookie and CSRF token made by :mod:`bench.prepare`), so it runs the whole platform path:
daphne, the middleware stack, the view, ``ideas.actions.vote_cast`` (row lock, unique
constraint, exact counter), ``realtime.events.publish`` on commit (one atomic Redis step that
numbers and publishes), the pub/sub layer and ``LiveConsumer`` on every socket. Each vote is
for a different idea, so every ``idea.vote_changed`` event is matched to its vote by the
idea id it carries. Latency: from sending the vote request to each client receiving the
event. Baseline: the bare relay triggered the same way over HTTP (``POST /bench/relay``), on
the same process, in the same run.

Clients open ``/ws/boards/<id>/`` and wait for their snapshot (the board's first page) before
the votes start. The board has 300 ideas; votes from a previous measurement are removed
first, so every vote publishes an event.
"""

from __future__ import annotations

from bench import fanout
from bench.results import Result
from bench.stats import ratio

NAME = "board_fanout"
ORDER = 15
DESCRIPTION = "board fan-out: votes over HTTP to N board clients (pub/sub layer) vs bare relay"
TARGET_RATIO = 1.25
TARGET_CLIENTS = 1000
BOARD_IDEAS = 300
VOTES = 60  # at most 32 votes per measurement (5 votes/s for 6 s, plus warm-up)
TARGET_P99_MS = 250  # issue 26: fan-out p99 at 2,000 viewers
ALTERNATIVE_SERVER = "uvicorn"
ALTERNATIVE_LABEL = "board, websockets on uvicorn (not shipped)"


def board_stream(ctx) -> fanout.Stream:
    """Reset the board's bench votes; the stream with fresh voters and the ideas to vote on."""
    board = ctx.servers.data(
        {
            "action": "board",
            "slug": "bench-fanout",
            "ideas": BOARD_IDEAS,
            "voters": VOTES,
            "first_ideas": VOTES,
        }
    )
    return fanout.Stream(
        label="board",
        path=f"/ws/boards/{board['challenge']}/",
        trigger=fanout.Trigger(
            kind="http",
            path="/ideas/{id}/support/",
            per_trigger=[
                {"headers": {"Cookie": voter["cookie"], "X-CSRFToken": voter["csrf"]}}
                for voter in board["voters"]
            ],
        ),
        snapshot_first=True,
        ids=tuple(board["ideas"]),
    )


def run(ctx) -> Result:
    sizes, seconds = ((200,), 3.0) if ctx.quick else ((500, 1000, 2000), 6.0)
    board_stream(ctx)  # create the board before the servers start
    with ctx.servers.start(layer="pubsub") as running:
        rows, raw = fanout.compare_with_relay(
            running,
            fanout.Stream(label="board", path="", trigger=fanout.Trigger(kind="http")),
            sizes,
            seconds,
            relay=fanout.RELAY_HTTP,
            before=lambda: board_stream(ctx),
        )
    largest = max(sizes)
    alternative = {}
    if not ctx.quick:
        # The same board on websockets served by uvicorn (uvloop, websockets' sans-I/O
        # protocol), not shipped: daphne's Twisted write path is the fan-out's bottleneck
        # (docs/performance.md); this row measures the way past it in every full run.
        with ctx.servers.start(layer="pubsub", http_server=ALTERNATIVE_SERVER) as running:
            print(f"  {largest} clients: board, websockets on {ALTERNATIVE_SERVER} …", flush=True)
            alternative = fanout.measure(
                running, board_stream(ctx), largest, fanout.steady_load(largest, seconds)
            )
        alternative["stream"] = ALTERNATIVE_LABEL
        relay_p99 = next(
            r["latency_ms"]["p99"]
            for r in raw
            if r["stream"] != "board" and r["clients"] == largest
        )
        alternative["p99_ratio_to_relay"] = ratio(alternative["latency_ms"]["p99"], relay_p99)
        raw.append(alternative)
        rows.append(fanout.row(alternative, **{"p99 x relay": alternative["p99_ratio_to_relay"]}))
    at = TARGET_CLIENTS if TARGET_CLIENTS in sizes else largest
    board = next(r for r in raw if r["stream"] == "board" and r["clients"] == at)
    factor = board["p99_ratio_to_relay"]
    biggest = next(r for r in raw if r["stream"] == "board" and r["clients"] == largest)
    measured = [r for r in raw if r["stream"] in ("board", ALTERNATIVE_LABEL)]
    targets = {
        f"p99 at {largest} clients (ms)": biggest["latency_ms"]["p99"],
        f"target p99 <= {TARGET_P99_MS} ms at {largest} clients": biggest["latency_ms"]["p99"]
        <= TARGET_P99_MS,
    }
    if alternative:
        targets[f"{ALTERNATIVE_LABEL}: p99 at {largest} clients (ms)"] = alternative["latency_ms"][
            "p99"
        ]
    statuses: dict[str, int] = {}
    for r in measured:
        for status, n in (r.get("trigger_statuses") or {}).items():
            statuses[status] = statuses.get(status, 0) + n
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "sizes": sizes,
            "layer": "pubsub",
            "processes": 1,
            "seconds_per_measurement": seconds,
            "offered_deliveries_per_s": fanout.DELIVERIES_PER_SECOND,
            "board_ideas": BOARD_IDEAS,
            "trigger": "POST /ideas/<id>/support/ (a different account and idea per vote)",
        },
        columns=["p99 x relay", *fanout.COLUMNS],
        rows=rows,
        summary={
            f"p99 at {at} clients (ms)": board["latency_ms"]["p99"],
            f"p99 x relay at {at} clients": factor,
            f"target p99 <= {TARGET_RATIO} x relay": factor is not None and factor <= TARGET_RATIO,
            **targets,
            "every event delivered, no gaps": all(fanout.clean(r) for r in measured),
            "vote responses": statuses,
        },
        notes=[
            "Each size runs the bare relay (triggered by POST /bench/relay), then the board, "
            "on the same daphne process (Redis pub/sub layer, Redis cache, PostgreSQL).",
            "A vote's latency includes its HTTP request: the view, the service's transaction "
            "and the publish after commit (302 is the vote view's normal answer).",
            "Full run: the board at the largest size once more with uvicorn (uvloop, "
            "websockets) serving the websockets and the votes, one process; its p99 x relay "
            "is against daphne's bare relay at that size.",
        ],
        raw=raw,
    )
