"""2000 sockets opening at once on one daphne process with Redis: who gets through?

Every client opens ``/ws/health/`` at the same moment (no client-side pacing), waits for its
snapshot, the sockets are held a few seconds, then one ping must reach every survivor. Run
for the pub/sub layer we ship and for channels-redis's core layer, whose Redis connection
pool ran out under such storms with redis-py 8 ("Too many connections", then 1011 closes).

Then the board storm (issue 26): 2000 anonymous viewers open one live board
(``/ws/boards/<id>/?sort=newest``, 300 ideas: the posted idea is on the first page of every
snapshot taken after it) at once while an idea is posted through the API
(``POST /api/v1/ideas/`` with a token, the trigger, 0.5 s into the storm): the time until every
client has its snapshot, and until every client has the new idea (in its snapshot or as the
``idea.created`` event), and sequence gaps after each client's snapshot.
"""

from __future__ import annotations

import json

from bench import driver
from bench.results import Result
from config.cluster import DAPHNE_OPTIONS, LISTEN_BACKLOG

NAME = "connect_storm"
ORDER = 30
DESCRIPTION = "2000 websocket clients connecting at once (shipped vs daphne defaults)"
# (label, channel layer, daphne listen backlog, daphne options): the shipped configuration
# (config.cluster.daphne_command: backlog 1024, 30 s to accept a websocket) first; then the
# core layer started the same way, and the pub/sub layer with daphne's defaults (-b/-p:
# backlog 50, 5 s handshake timeout), as the configuration shipped before.
ALTERNATIVE_SERVER = "uvicorn"
ALTERNATIVE_LABEL = "board + API post, websockets on uvicorn (not shipped)"
TARGET_SNAPSHOTS_S = 3.0  # issue 26: 2,000 viewers opening one board, all within 3 s
VARIANTS = (
    ("pubsub (shipped)", "pubsub", LISTEN_BACKLOG, DAPHNE_OPTIONS),
    ("core", "core", LISTEN_BACKLOG, DAPHNE_OPTIONS),
    ("pubsub, daphne defaults", "pubsub", 0, ()),
)


def storm(running, clients: int) -> dict:
    spec = {
        "mode": "storm",
        "urls": running.ws_urls,
        "path": "/ws/health/",
        "clients": clients,
        "wait_first": True,
        "connect_timeout": 60,
        "hold": 3,
        "settle": 15,
        "trigger": {"kind": "ws", "text": '{"type":"ping","nonce":"{key}"}'},
    }
    window: dict[str, float] = {}

    def on_event(event: dict) -> None:
        window[event["event"]] = running.cpu_seconds()

    result = driver.run(spec, on_event)
    if len(window) == 2 and result.get("storm_s"):
        used = window["measure_end"] - window["measure_start"]
        result["server_cpu_pct"] = round(100 * used / result["storm_s"], 1)
    result["server_alive"] = all(p.poll() is None for p in running.cluster.processes)
    return result


BOARD_IDEAS = 300
POST_AFTER = 0.5


def board_storm(ctx, clients: int, http_server: str = "daphne") -> dict:
    board = ctx.servers.data(
        {"action": "board", "slug": "bench-storm", "ideas": BOARD_IDEAS, "poster": True}
    )
    body = json.dumps(
        {
            "challenge": board["challenge"],
            "title": "Storm idea {key}",
            "body": "Shelters with seats and lighting at every stop on the hospital route.",
        }
    )
    with ctx.servers.start(layer="pubsub", http_server=http_server) as running:
        spec = {
            "mode": "board_storm",
            "urls": running.ws_urls,
            "path": f"/ws/boards/{board['challenge']}/?sort=newest",
            "clients": clients,
            "wait_first": True,
            "connect_timeout": 90,
            "settle": 60,
            "post_after": POST_AFTER,
            "trigger": {
                "path": "/api/v1/ideas/",
                "headers": {
                    "Authorization": f"Bearer {board['api_token']}",
                    "Content-Type": "application/json",
                },
                "body": body,
            },
        }
        window: dict[str, float] = {}

        def on_event(event: dict) -> None:
            window[event["event"]] = running.cpu_seconds()

        result = driver.run(spec, on_event)
        if len(window) == 2 and result.get("storm_s"):
            used = window["measure_end"] - window["measure_start"]
            result["server_cpu_pct"] = round(100 * used / result["storm_s"], 1)
        running.wait_idle()
    result.update(variant="board, idea posted through the API", layer="pubsub", server=http_server)
    return result


def board_row(board: dict, label: str, clients: int) -> dict:
    problems = {**board["errors"], **{f"close {k}": v for k, v in board["close_codes"].items()}}
    return {
        "server": label,
        "clients": clients,
        "ready": board["ready"],
        "alive after hold": None,
        "got broadcast": board["clients_idea_by_event"],
        "handshake p50 ms": board["handshake_ms"]["p50"],
        "handshake p99 ms": board["handshake_ms"]["p99"],
        "snapshot p99 ms": board["snapshot_at_ms"]["p99"],
        "storm s": board["storm_s"],
        "errors / close codes": ", ".join(f"{k}: {v}" for k, v in problems.items()) or "none",
        "all snapshots s": board["all_snapshots_s"],
        "all have the idea s": board["all_have_idea_s"],
        "gaps": board["gaps"]["missing"],
    }


def run(ctx) -> Result:
    clients = 500 if ctx.quick else 2000
    # Quick: shipped vs core at 500. Full: shipped vs daphne's defaults at 2000 (the core
    # layer's storm failure is in the last full run's table; relay_fanout still compares it).
    variants = VARIANTS[:2] if ctx.quick else (VARIANTS[0], VARIANTS[2])
    rows, raw = [], []
    for label, layer, backlog, options in variants:
        print(f" {label}: {clients} clients at once …", flush=True)
        with ctx.servers.start(
            layer=layer, listen_backlog=backlog, daphne_options=options
        ) as running:
            result = storm(running, clients)
            running.wait_idle()
        result.update(
            variant=label, layer=layer, listen_backlog=backlog or 50, daphne_options=list(options)
        )
        raw.append(result)
        problems = {
            **result["errors"],
            **{f"close {k}": v for k, v in result["close_codes"].items()},
        }
        rows.append(
            {
                "server": label,
                "clients": clients,
                "ready": result["ready"],
                "alive after hold": result["alive_after_hold"],
                "got broadcast": result["broadcast_received"],
                "handshake p50 ms": result["handshake_ms"]["p50"],
                "handshake p99 ms": result["handshake_ms"]["p99"],
                "snapshot p99 ms": result["ready_ms"]["p99"],
                "storm s": result["storm_s"],
                "errors / close codes": ", ".join(f"{k}: {v}" for k, v in problems.items())
                or "none",
            }
        )
    print(f" board: {clients} viewers opening one board, an idea posted through the API …")
    board = board_storm(ctx, clients)
    raw.append(board)
    for row in rows:
        row.update({"all snapshots s": None, "all have the idea s": None, "gaps": None})
    rows.append(board_row(board, "board + API post (shipped)", clients))
    alternative = None
    if not ctx.quick:
        # Websockets on uvicorn (not shipped): see board_fanout and docs/performance.md.
        print(f" board, websockets on {ALTERNATIVE_SERVER} (not shipped) …", flush=True)
        alternative = board_storm(ctx, clients, ALTERNATIVE_SERVER)
        raw.append(alternative)
        rows.append(board_row(alternative, ALTERNATIVE_LABEL, clients))
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "clients": clients,
            "variants": [v[0] for v in variants],
            "processes": 1,
            "hold_s": 3,
            "stream": "/ws/health/",
            "board_storm": {
                "stream": "/ws/boards/<id>/ (anonymous viewers)",
                "board_ideas": BOARD_IDEAS,
                "trigger": "POST /api/v1/ideas/ with a personal API token",
                "posted_after_s": POST_AFTER,
            },
        },
        columns=list(rows[0]),
        rows=rows,
        summary={
            **{
                f"{r['variant']}: all {clients} ready and reached": r["ready"] == clients
                and r["broadcast_received"] == clients
                for r in raw
                if r is not board and r is not alternative
            },
            f"board: every viewer's snapshot within {TARGET_SNAPSHOTS_S} s": (
                board["all_snapshots_s"] is not None
                and board["all_snapshots_s"] <= TARGET_SNAPSHOTS_S
            ),
            "board: seconds until all have their snapshot": board["all_snapshots_s"],
            "board: seconds until all have the posted idea": board["all_have_idea_s"],
            "board: idea post status": board["idea_post_status"],
            "board: no gaps": board["gaps"]["missing"] == 0,
            **(
                {
                    f"{ALTERNATIVE_LABEL}: seconds until all have their snapshot": alternative[
                        "all_snapshots_s"
                    ],
                    f"{ALTERNATIVE_LABEL}: no gaps": alternative["gaps"]["missing"] == 0,
                }
                if alternative
                else {}
            ),
        },
        notes=[
            "Handshake: from starting the TCP connect to HTTP 101; snapshot: to the first frame. "
            "Shipped: daphne with a listen backlog of 1024 and --websocket_connect_timeout 30 "
            "(config.cluster.daphne_command, compose.yml, Dockerfile). 'daphne defaults' (-b/-p) "
            "listens with Twisted's backlog of 50 (the rest of a storm waits for SYN retries) "
            "and gives the application 5 s to accept.",
            "http 403 = daphne's websocket handshake timeout expired before the consumer "
            "accepted; http 500 = the consumer raised before accepting (the core layer: "
            "'Too many connections' from redis-py's pool); ConnectionResetError = dropped "
            "before its 101.",
            "Board + API post: 'snapshot p99' and 'all snapshots s' from the first connect; "
            "'all have the idea s': until every client has the posted idea, in its snapshot or "
            "as the idea.created event ('got broadcast' counts the clients that got it as an "
            "event); gaps: sequence numbers missing after each client's snapshot.",
            "Full run: the board storm once more with uvicorn (uvloop, websockets; one process, "
            "backlog 1024) serving the websockets and the API post: not shipped, measured as "
            "the way past daphne's per-socket cost (docs/performance.md).",
        ],
        raw=raw,
    )
