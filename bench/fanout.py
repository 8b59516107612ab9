"""The generic fan-out runner: N sockets on one stream, triggers at a steady rate.

A fan-out benchmark is a :class:`Stream` (the websocket path clients follow, how one event is
triggered, whether a snapshot arrives first) measured at several client counts next to the
bare relay (:data:`RELAY`) on the same servers, by the same load client, so each row carries
its ratio to the baseline. ``health_fanout`` is the whole of such a benchmark; a
``board_fanout`` needs only its own :class:`Stream` (a board's socket path, a vote as the
trigger — over HTTP with per-vote cookies via ``Trigger.per_trigger`` or as a websocket
action — and the vote event's ``id`` carrying the trigger's key) and a call to
:func:`compare_with_relay`.

Latency is measured from the moment the load client sends a trigger to the moment each client
receives the resulting event (both on the load client's clock), so no clocks are compared
across processes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from bench import driver
from bench.servers import Running
from bench.stats import ratio


@dataclass(frozen=True)
class Trigger:
    """How the load client causes one event.

    ``kind="ws"``: send ``text`` on one of the connected sockets (each in turn).
    ``kind="http"``: request ``method`` ``path`` with ``body`` and ``headers`` on the first
    server. In every string ``{key}`` becomes the trigger's unique key — the event must carry
    it back as its ``"id"`` — and ``{seq}`` its 1-based number. ``per_trigger`` is a list of
    overrides used in turn (e.g. a different signed-in user's cookie for each vote).
    """

    kind: str
    text: str = ""
    method: str = "POST"
    path: str = ""
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    per_trigger: list[dict[str, Any]] = field(default_factory=list)

    def as_spec(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Stream:
    """What clients follow and how its events are caused."""

    label: str
    path: str
    trigger: Trigger
    snapshot_first: bool = False  # LiveConsumer streams send a snapshot before any event
    # Trigger index -> the numeric id its event carries (e.g. the idea each vote is for);
    # events are then matched by that id, and "{id}" in the trigger is replaced by it.
    ids: tuple[int, ...] = ()


RELAY = Stream(
    label="bare relay",
    path="/ws/bench/relay/",
    trigger=Trigger(kind="ws", text='{"seq":{seq},"id":"{key}"}'),
)
RELAY_HTTP = Stream(
    label="bare relay (HTTP trigger)",
    path="/ws/bench/relay/",
    trigger=Trigger(kind="http", path="/bench/relay", body='{"seq":{seq},"id":"{key}"}'),
)
RELAY_DIRECT = Stream(
    label="relay, no per-message hop",
    path="/ws/bench/relay-direct/",
    trigger=RELAY.trigger,
)
HEALTH = Stream(
    label="health stream",
    path="/ws/health/",
    trigger=Trigger(kind="ws", text='{"type":"ping","nonce":"{key}"}'),
    snapshot_first=True,
)


@dataclass(frozen=True)
class Load:
    """How hard and how long: ``rate`` triggers per second, ``count`` measured triggers."""

    rate: float = 2.0
    count: int = 20
    warmup: int = 2
    settle: float = 5.0
    connect_concurrency: int = 100


# Offered load: about this many deliveries per second (triggers/s x clients), so a single
# process is loaded but not saturated at every size; see docs/performance.md.
DELIVERIES_PER_SECOND = 1000
MIN_RATE, MAX_RATE = 0.5, 5.0


def steady_load(clients: int, seconds: float, settle: float = 5.0) -> Load:
    """Triggers at ``DELIVERIES_PER_SECOND / clients`` per second (clamped) for ``seconds``."""
    rate = max(MIN_RATE, min(MAX_RATE, DELIVERIES_PER_SECOND / clients))
    return Load(rate=rate, count=max(6, round(rate * seconds)), warmup=2, settle=settle)


def measure(running: Running, stream: Stream, clients: int, load: Load) -> dict[str, Any]:
    """One measurement: ``clients`` sockets spread over the running processes."""
    running.check_alive()
    spec = {
        "mode": "fanout",
        "urls": running.ws_urls,
        "path": stream.path,
        "clients": clients,
        "wait_first": stream.snapshot_first,
        "trigger": stream.trigger.as_spec(),
        "rate": load.rate,
        "count": load.count,
        "warmup": load.warmup,
        "settle": load.settle,
        "connect_concurrency": load.connect_concurrency,
    }
    if stream.ids:
        spec["ids"] = list(stream.ids)
    window: dict[str, float] = {}

    def on_event(event: dict[str, Any]) -> None:
        window[event["event"]] = running.cpu_seconds()
        window[event["event"] + "_at"] = time.monotonic()

    result = driver.run(spec, on_event)
    if "measure_start" in window and "measure_end" in window:
        elapsed = window["measure_end_at"] - window["measure_start_at"]
        used = window["measure_end"] - window["measure_start"]
        result["server_cpu_pct"] = round(100 * used / elapsed, 1) if elapsed > 0 else None
    result["stream"] = stream.label
    running.check_alive()
    running.wait_idle()
    return result


def row(result: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The table row for one measurement (full detail stays in the JSON)."""
    latency = result.get("latency_ms", {})
    return {
        **extra,
        "stream": result.get("stream"),
        "clients": result.get("clients"),
        "connected": result.get("connected"),
        "triggers/s": result.get("rate"),
        "p50 ms": latency.get("p50"),
        "p95 ms": latency.get("p95"),
        "p99 ms": latency.get("p99"),
        "all-reached p99 ms": result.get("reach_all_ms", {}).get("p99"),
        "missed": result.get("missed"),
        "gaps": (result.get("gaps") or {}).get("missing"),
        "out of order": (result.get("gaps") or {}).get("out_of_order"),
        "deliveries/s": result.get("deliveries_per_s"),
        "server cpu %": result.get("server_cpu_pct"),
        "client cpu %": result.get("client_cpu_pct"),
    }


COLUMNS = [
    "stream",
    "clients",
    "connected",
    "triggers/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "all-reached p99 ms",
    "missed",
    "gaps",
    "out of order",
    "deliveries/s",
    "server cpu %",
    "client cpu %",
]


def compare_with_relay(
    running: Running,
    stream: Stream,
    sizes: tuple[int, ...],
    seconds: float,
    *,
    relay: Stream = RELAY,
    before: Callable[[], Stream] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """For each size: the bare ``relay``, then ``stream``, on the same servers.

    ``before`` (optional) runs before each measurement of ``stream`` and returns the stream
    to measure (e.g. after resetting the votes a previous measurement cast).
    Returns (table rows, raw results); ``stream`` rows carry ``p99 x relay``.
    """
    rows: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    for clients in sizes:
        load = steady_load(clients, seconds)
        print(f"  {clients} clients: {relay.label} …", flush=True)
        base = measure(running, relay, clients, load)
        if before is not None:
            stream = before()
        print(f"  {clients} clients: {stream.label} …", flush=True)
        measured = measure(running, stream, clients, load)
        factor = ratio(measured["latency_ms"]["p99"], base["latency_ms"]["p99"])
        measured["p99_ratio_to_relay"] = factor
        rows.append(row(base, **{"p99 x relay": 1.0 if base["latency_ms"]["p99"] else None}))
        rows.append(row(measured, **{"p99 x relay": factor}))
        raw += [base, measured]
    return rows, raw


def clean(result: dict[str, Any]) -> bool:
    """Every client connected and got every event, in order, with no gap."""
    gaps = result.get("gaps") or {}
    return bool(
        result.get("connected") == result.get("clients")
        and result.get("missed") == 0
        and not any(gaps.values())
        and not result.get("dropped_during_run")
    )
