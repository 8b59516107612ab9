"""Requests per second and latency for pages on each HTTP server, against the fastest
trivial Django view measured in the same run.

Each server in :data:`SERVERS` in turn (debug off, compressed static files, Redis cache, the
same code and settings): daphne (one process, what ``make run`` serves), gunicorn's
threaded WSGI workers (what the shipped topology serves HTTP on, directly and behind nginx),
its sync workers, and uvicorn (ASGI on uvloop and httptools), ``concurrency`` keep-alive connections from the load client, each page in turn.
Pages are listed in :func:`pages`: the trivial view, the home page, and a board and the
service page it is linked to with 10,000 ideas on the board. Every ratio is against the
fastest trivial view of the run (``x fastest trivial``), and against daphne's for history.
Targets (issue 26), for the shipped server: board and service page at least half the
fastest trivial view, the home page a quarter.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import driver
from bench.results import Result
from bench.stats import ratio
from config.cluster import SHIPPED_HTTP_SERVER

NAME = "http_baseline"
ORDER = 60
DESCRIPTION = "HTTP requests/s and p50/p95 of pages on daphne, gunicorn and uvicorn, against the fastest trivial view"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    prepare: Callable[[object], None] | None = None  # gets ctx; loads data before servers start
    target_share: float | None = None  # minimum requests/s as a share of the fastest trivial's


@dataclass(frozen=True)
class Server:
    label: str
    name: str  # config.cluster.HTTP_SERVERS
    workers: int = 1
    proxied: bool = False  # behind nginx, as make run-cluster and compose.yml serve it
    # Every page, or (an alternative not shipped) only the trivial view and perhaps the
    # board: enough for the baseline and the comparison, within make bench's 15 minutes.
    every_page: bool = True
    board: bool = True


# One worker process each (gthread: GTHREAD_THREADS threads in it), but gunicorn's sync
# workers, which serve one request at a time and so wait idle on every database round trip:
# two of them. Behind nginx, two gthread workers as make run-cluster starts them on 2 cores.
# "requests per cpu-s" normalises them: the per-core figure the capacity model uses
# (docs/operations.md). SHIPPED serves HTTP in compose.yml and make run-cluster.
DAPHNE = Server("daphne", "daphne")
SHIPPED = Server("gunicorn gthread", SHIPPED_HTTP_SERVER)
PROXIED = Server("gunicorn gthread via nginx", SHIPPED_HTTP_SERVER, 2, proxied=True)
SERVERS = (
    DAPHNE,
    SHIPPED,
    PROXIED,
    Server("gunicorn sync", "gunicorn", 2, every_page=False, board=False),
    Server("uvicorn", "uvicorn", every_page=False),
)


TRIVIAL = Page("trivial view", "/bench/ping")


BOARD_IDEAS = 10_000


def pages(ctx) -> list[Page]:
    """What to measure, the trivial view first (it is the baseline for the others).

    The board and service pages show a challenge with ``BOARD_IDEAS`` ideas (the same board
    ``cost_growth`` measures at that size), linked to the first live service page.
    """
    board = ctx.servers.data(
        {
            "action": "board",
            "slug": f"bench-ideas-{BOARD_IDEAS}",
            "ideas": BOARD_IDEAS,
            "service_page": True,
        }
    )
    chosen = [TRIVIAL, Page("home page", "/", None, 0.25)]
    chosen.append(
        Page(f"board, {BOARD_IDEAS:,} ideas", f"/ideas/challenges/{board['challenge']}/", None, 0.5)
    )
    if board["service_path"]:
        chosen.append(Page("service page", board["service_path"], None, 0.5))
    return chosen


def measure(ctx, server: Server, chosen: list[Page], concurrency: int, duration: float) -> list:
    """Each page on ``server`` in turn; the load client's figures plus the server's CPU %."""
    window: dict[str, float] = {}
    print(f"  {server.label} …", flush=True)
    with ctx.servers.start(
        layer="pubsub",
        static=True,
        http_server=server.name,
        http_workers=server.workers,
        proxy=server.proxied,
    ) as running:

        def on_event(event: dict) -> None:
            window[f"{event['label']}:{event['event']}"] = running.cpu_seconds()

        result = driver.run(
            {
                "mode": "http",
                "url": running.front_url,
                "pages": [{"label": p.label, "path": p.path} for p in chosen],
                "concurrency": concurrency,
                "duration": duration,
                "warmup": 1.0,
            },
            on_event,
        )
    measured = result["pages"]
    for page, m in zip(chosen, measured, strict=True):
        used = window.get(f"{page.label}:measure_end", 0) - window.get(
            f"{page.label}:measure_start", 0
        )
        m["server_cpu_pct"] = round(100 * used / (duration + 1.0), 1)
        m["server"] = server.label
    return measured


def measured_pages(server: Server, chosen: list[Page]) -> list[Page]:
    if server.every_page:
        return chosen
    return [
        page
        for page in chosen
        if page is TRIVIAL or (server.board and page.label.startswith("board"))
    ]


def nginx_path() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def per_cpu(m: dict) -> float | None:
    """Requests per second of server CPU: what one fully busy core would serve."""
    if not m["server_cpu_pct"]:
        return None
    return round(m["rps"] / (m["server_cpu_pct"] / 100))


def run(ctx) -> Result:
    concurrency, duration = (8, 3.0) if ctx.quick else (8, 4.0)
    chosen = pages(ctx)
    for page in chosen:
        if page.prepare is not None:
            page.prepare(ctx)
    notes = []
    servers = list(SERVERS)
    if nginx_path() is None:
        servers.remove(PROXIED)
        notes.append("nginx is not installed (make proxy-deps): not measured behind the proxy.")
    by_server = {
        server: measure(ctx, server, measured_pages(server, chosen), concurrency, duration)
        for server in servers
    }
    trivial = {server: by_server[server][0]["rps"] for server in servers}
    fastest = max((s for s in servers if not s.proxied), key=lambda s: trivial[s] or 0)
    base, daphne_base = trivial[fastest], trivial[DAPHNE]
    rows, summary, raw = [], {}, []
    for server in servers:
        for page, m in zip(measured_pages(server, chosen), by_server[server], strict=True):
            m["share_of_fastest_trivial"] = share = ratio(m["rps"], base)
            m["share_of_daphne_trivial"] = ratio(m["rps"], daphne_base)
            bad = sum(v for k, v in m["statuses"].items() if k != "200") + sum(m["errors"].values())
            rows.append(
                {
                    "server": server.label,
                    "page": page.label,
                    "requests/s": m["rps"],
                    "x fastest trivial": share,
                    "x daphne trivial": m["share_of_daphne_trivial"],
                    "p50 ms": m["latency_ms"]["p50"],
                    "p95 ms": m["latency_ms"]["p95"],
                    "p99 ms": m["latency_ms"]["p99"],
                    "non-200 / errors": bad,
                    "bytes": m["bytes"],
                    "server cpu %": m["server_cpu_pct"],
                    "requests per cpu-s": per_cpu(m),
                    "client cpu %": m["client_cpu_pct"],
                }
            )
            raw.append(m)
            if server in (SHIPPED, PROXIED) and page.target_share is not None:
                summary[
                    f"{server.label}, {page.label}: >= {page.target_share} x fastest trivial"
                ] = share is not None and share >= page.target_share
    summary["fastest trivial view"] = f"{fastest.label}, {base} requests/s"
    summary["daphne trivial view requests/s"] = daphne_base
    summary["every answer 200"] = all(r["non-200 / errors"] == 0 for r in rows)
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={
            "concurrency": concurrency,
            "seconds_per_page": duration,
            "servers": [f"{s.label} ({s.workers} worker process)" for s in servers],
            "shipped": SHIPPED.label,
        },
        columns=list(rows[0]),
        rows=rows,
        summary=summary,
        notes=[
            *notes,
            "Server CPU % is of one core, a server's master and workers together. daphne "
            "and uvicorn run the sync views in a thread pool; gunicorn's sync worker in its "
            "own thread, one request at a time (two worker processes); gthread one worker "
            "process with 4 threads (two behind nginx). Requests per cpu-s = requests/s / server CPU share.",
            "Via nginx: the proxy in front, as make run-cluster and compose.yml serve "
            "pages; its CPU is counted with the server's.",
            "The load client shares the two cores with the server, PostgreSQL and Redis.",
        ],
        raw=raw,
    )
