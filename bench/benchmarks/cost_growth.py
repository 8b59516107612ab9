"""Cost growth: the board page and its live snapshot at 100, 1,000, 10,000 and 100,000 ideas.

For each size a board with that many ideas (a quarter of them supported, an eighth within the
trending window; created once in ``civic_bench``) is measured two ways:

* over HTTP on one daphne process: the board page (default sort, trending) under a short
  keep-alive load — requests/s and p50/p95;
* in process (:mod:`bench.prepare`): the page's and the snapshot's query counts, the
  snapshot's size and the median time to build it, for each sort order.

Target: time grows at most logarithmically with the number of ideas, and query counts and
snapshot size stay constant (the snapshot is the first page, never the whole board).
"""

from __future__ import annotations

import math

from bench import driver
from bench.results import Result
from bench.stats import ratio

NAME = "cost_growth"
ORDER = 65
DESCRIPTION = "board page and snapshot cost at 100 / 1,000 / 10,000 / 100,000 ideas"


def run(ctx) -> Result:
    sizes = (100, 1_000) if ctx.quick else (100, 1_000, 10_000, 100_000)
    duration = 2.0 if ctx.quick else 3.0
    boards = {}
    for ideas in sizes:
        print(f"  board with {ideas:,} ideas …", flush=True)
        boards[ideas] = ctx.servers.data(
            {
                "action": "board",
                "slug": f"bench-ideas-{ideas}",
                "ideas": ideas,
                "service_page": True,
            }
        )
    costs = {
        ideas: ctx.servers.data({"action": "costs", "slug": f"bench-ideas-{ideas}", "repeat": 5})
        for ideas in sizes
    }
    with ctx.servers.start(layer="pubsub", static=True) as running:
        result = driver.run(
            {
                "mode": "http",
                "url": running.urls[0],
                "pages": [
                    {"label": str(n), "path": f"/ideas/challenges/{boards[n]['challenge']}/"}
                    for n in sizes
                ],
                "concurrency": 4,
                "duration": duration,
                "warmup": 0.5,
            }
        )
    http = {int(p["label"]): p for p in result["pages"]}
    rows, raw = [], []
    smallest = sizes[0]
    for ideas in sizes:
        page, cost = http[ideas], costs[ideas]
        trending = cost["trending"]
        p50 = page["latency_ms"]["p50"]
        rows.append(
            {
                "ideas": ideas,
                "page requests/s": page["rps"],
                "page p50 ms": p50,
                "page p95 ms": page["latency_ms"]["p95"],
                "x p50 at 100": ratio(p50, http[smallest]["latency_ms"]["p50"]),
                "fresh page ms": trending["page_fresh_ms"],
                "page queries": trending["page_queries"],
                "cached page queries": trending["page_queries_cached"],
                "snapshot bytes": trending["snapshot_bytes"],
                "snapshot ideas": trending["snapshot_ideas"],
                "snapshot queries": trending["snapshot_queries"],
                "snapshot ms (trending)": trending["snapshot_build_ms"],
                "snapshot ms (top)": cost["top"]["snapshot_build_ms"],
                "snapshot ms (newest)": cost["newest"]["snapshot_build_ms"],
            }
        )
        raw.append({"ideas": ideas, "http": page, "costs": cost})
    largest = sizes[-1]
    growth = ratio(http[largest]["latency_ms"]["p50"], http[smallest]["latency_ms"]["p50"])
    log_bound = round(math.log10(largest) / math.log10(smallest), 2)
    fresh = {n: costs[n]["trending"]["page_fresh_ms"] for n in sizes}
    fresh_growth = ratio(fresh[largest], fresh[smallest])
    constant = {
        key: len({costs[n][sort][key] for n in sizes for sort in costs[n]}) == 1
        for key in ("page_queries", "page_queries_cached", "snapshot_queries")
    }
    return Result(
        name=NAME,
        description=DESCRIPTION,
        parameters={"sizes": sizes, "seconds_per_page": duration, "concurrency": 4},
        columns=list(rows[0]),
        rows=rows,
        summary={
            f"page p50 x ({largest:,} vs {smallest} ideas)": growth,
            f"log bound (log {largest:,} / log {smallest})": log_bound,
            "grows at most logarithmically": growth is not None and growth <= log_bound,
            f"fresh page ms x ({largest:,} vs {smallest} ideas)": fresh_growth,
            "fresh page grows at most logarithmically": (
                fresh_growth is not None and fresh_growth <= log_bound
            ),
            "page query count constant": constant["page_queries"],
            "cached page query count constant": constant["page_queries_cached"],
            "snapshot query count constant": constant["snapshot_queries"],
            "snapshot bytes, largest / smallest": ratio(
                costs[largest]["trending"]["snapshot_bytes"],
                costs[smallest]["trending"]["snapshot_bytes"],
            ),
        },
        notes=[
            "Page: GET /ideas/challenges/<id>/ (trending, page 1) on one daphne process, "
            "4 keep-alive connections, anonymous: served from the cache (ideas.fragments). "
            "Queries, fresh page and snapshot: measured in process against the same database "
            "(Django test client with an empty cache, then the cached page; "
            "BoardConsumer.build_snapshot). 'fresh page ms': rendered afresh, as after "
            "each change to the board.",
            "'log bound': log(largest)/log(smallest) — what logarithmic growth would allow "
            "for the page time ratio.",
        ],
        raw=raw,
    )
