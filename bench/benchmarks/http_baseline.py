"""Requests per second and latency for pages, against the trivial Django view.

One daphne process (debug off, compressed static files, Redis cache), ``concurrency``
keep-alive connections from the load client, each page in turn. Pages are listed in
:func:`pages`: the trivial view, the home page, and a board and the service page it is
linked to with 10,000 ideas on the board (target: at least 25% of the trivial view's
requests/s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench import driver
from bench.results import Result
from bench.stats import ratio

NAME = "http_baseline"
ORDER = 60
DESCRIPTION = "HTTP requests/s and p50/p95: trivial view (baseline) and pages"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    prepare: Callable[[object], None] | None = None  # gets ctx; loads data before servers start
    target_share: float | None = None  # minimum requests/s as a share of the trivial view's


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
    chosen = [TRIVIAL, Page("home page", "/")]
    chosen.append(
        Page(
            f"board, {BOARD_IDEAS:,} ideas", f"/ideas/challenges/{board['challenge']}/", None, 0.25
        )
    )
    if board["service_path"]:
        chosen.append(Page("service page", board["service_path"], None, 0.25))
    return chosen


def run(ctx) -> Result:
    concurrency, duration = (8, 3.0) if ctx.quick else (8, 10.0)
    chosen = pages(ctx)
    for page in chosen:
        if page.prepare is not None:
            page.prepare(ctx)
    window: dict[str, float] = {}
    with ctx.servers.start(layer="pubsub", static=True) as running:

        def on_event(event: dict) -> None:
            window[f"{event['label']}:{event['event']}"] = running.cpu_seconds()

        result = driver.run(
            {
                "mode": "http",
                "url": running.urls[0],
                "pages": [{"label": p.label, "path": p.path} for p in chosen],
                "concurrency": concurrency,
                "duration": duration,
                "warmup": 1.0,
            },
            on_event,
        )
    measured = result["pages"]
    base = measured[0]["rps"]
    rows, summary = [], {}
    for page, m in zip(chosen, measured, strict=True):
        used = window.get(f"{page.label}:measure_end", 0) - window.get(
            f"{page.label}:measure_start", 0
        )
        m["server_cpu_pct"] = round(100 * used / (duration + 1.0), 1)
        share = ratio(m["rps"], base)
        m["share_of_trivial"] = share
        bad = sum(v for k, v in m["statuses"].items() if k != "200") + sum(m["errors"].values())
        rows.append(
            {
                "page": page.label,
                "path": page.path,
                "requests/s": m["rps"],
                "x trivial": share,
                "p50 ms": m["latency_ms"]["p50"],
                "p95 ms": m["latency_ms"]["p95"],
                "p99 ms": m["latency_ms"]["p99"],
                "non-200 / errors": bad,
                "bytes": m["bytes"],
                "server cpu %": m["server_cpu_pct"],
                "client cpu %": m["client_cpu_pct"],
            }
        )
        if page.target_share is not None:
            summary[f"{page.label}: >= {page.target_share:.0%} of trivial"] = (
                share is not None and share >= page.target_share
            )
    summary["trivial view requests/s"] = base
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={"concurrency": concurrency, "seconds_per_page": duration, "processes": 1},
        columns=list(rows[0]),
        rows=rows,
        summary=summary,
        notes=[
            "Server CPU % is of one core; daphne runs the sync views in a thread pool, so one "
            "process is bound to about one core by the GIL.",
        ],
        raw=measured,
    )
