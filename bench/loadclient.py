"""The load client: one asyncio process that drives websocket and HTTP load.

Run by the benchmarks as ``python -m bench.loadclient``: it reads one JSON spec line on stdin,
writes JSON event lines on stdout (``measure_start``/``measure_end`` so the runner can sample
server CPU for exactly the measured window, ``ready`` in idle mode) and ends with one
``result`` line.

The client is part of the measurement, so it is kept cheap: websockets are a small
:class:`asyncio.Protocol` (no task or future per message; frames parsed in place), and an
event frame is not JSON-decoded — only its ``"id":"…"`` (which trigger caused it) and
``"seq":…`` (the stream's sequence number) are sliced out. It reports its own CPU use next to
the server's, so a saturated client shows up in the results instead of passing for a slow
server. It imports nothing from Django.

Modes: ``fanout`` (N sockets on one stream, triggers at a steady rate, latency from trigger to
receipt at every client, missed sequence numbers), ``storm`` (N sockets opened at once),
``idle`` (N sockets opened, held until told to close), ``http`` (keep-alive request loops)
and ``codesign`` (signed-in participants adding and moving notes on one co-design session;
these few sockets decode every frame, since they must keep the board's state).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

from bench.stats import add_gaps, sequence_gaps, summarize

perf = time.perf_counter

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def emit(event: str, **data) -> None:
    sys.stdout.write(json.dumps({"event": event, **data}) + "\n")
    sys.stdout.flush()


def raise_fd_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def mask_frame(opcode: int, payload: bytes) -> bytes:
    """A client-to-server frame (clients must mask; RFC 6455 §5.3)."""
    n = len(payload)
    if n < 126:
        header = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        header = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    key = os.urandom(4)
    if n:
        stream = (key * (n // 4 + 1))[:n]
        payload = (int.from_bytes(payload, "big") ^ int.from_bytes(stream, "big")).to_bytes(
            n, "big"
        )
    return header + key + payload


def parse_int(payload: bytes, start: int) -> int:
    end = start
    size = len(payload)
    while end < size and 48 <= payload[end] <= 57:
        end += 1
    return int(payload[start:end])


class WsClient(asyncio.Protocol):
    """One websocket connection. ``sink.on_text(client, payload, t)`` gets each text frame."""

    def __init__(
        self, index: int, host: str, port: int, path: str, origin: str, sink, cookie: str = ""
    ) -> None:
        loop = asyncio.get_running_loop()
        self.index = index
        self.sink = sink
        key = base64.b64encode(os.urandom(16)).decode()
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\n{extra}\r\n"
        ).encode()
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.fragments: list[bytes] = []
        self.is_open = False
        self.closing = False
        self.t_start = perf()
        self.t_open: float | None = None
        self.t_first: float | None = None
        self.close_code: int | None = None
        self.error: str | None = None
        self.opened = loop.create_future()  # True on 101, False on failure
        self.first_frame = loop.create_future()
        self.lost = loop.create_future()

    # -- asyncio.Protocol -------------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        t = perf()
        if not self.is_open:
            self.buffer += data
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end])
            del self.buffer[: end + 4]
            status = head.split(b" ", 2)[1] if head.startswith(b"HTTP/") else b"?"
            if status != b"101":
                self.fail(f"http {status.decode(errors='replace')}")
                self.transport.close()
                return
            self.is_open = True
            self.t_open = t
            self.opened.set_result(True)
            if not self.buffer:
                return
            data = b""
        buffer = self.buffer
        if data:
            buffer += data
        while True:
            size = len(buffer)
            if size < 2:
                return
            b0, b1 = buffer[0], buffer[1]
            length = b1 & 0x7F
            offset = 2
            if length == 126:
                if size < 4:
                    return
                length = int.from_bytes(buffer[2:4], "big")
                offset = 4
            elif length == 127:
                if size < 10:
                    return
                length = int.from_bytes(buffer[2:10], "big")
                offset = 10
            if size < offset + length:
                return
            payload = bytes(buffer[offset : offset + length])
            del buffer[: offset + length]
            self.frame(b0 & 0x0F, bool(b0 & 0x80), payload, t)

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_result(False)
            if self.error is None:
                self.error = f"lost before open: {type(exc).__name__ if exc else 'eof'}"
        if not self.first_frame.done():
            self.first_frame.set_result(False)
        if not self.lost.done():
            self.lost.set_result(True)

    # -- frames -----------------------------------------------------------------------

    def frame(self, opcode: int, fin: bool, payload: bytes, t: float) -> None:
        if opcode in (OP_TEXT, OP_CONT):
            if not fin:
                self.fragments.append(payload)
                return
            if self.fragments:
                payload = b"".join([*self.fragments, payload])
                self.fragments.clear()
            if self.t_first is None:
                self.t_first = t
                self.first_frame.set_result(True)
            self.sink.on_text(self, payload, t)
        elif opcode == OP_PING:
            self.transport.write(mask_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self.closing:
                self.closing = True
                self.transport.write(mask_frame(OP_CLOSE, payload[:2]))
            self.transport.close()

    def send_text(self, text: str) -> None:
        if self.transport is not None and not self.closing:
            self.transport.write(mask_frame(OP_TEXT, text.encode()))

    def close(self, code: int = 1000) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if self.is_open and not self.closing:
            self.closing = True
            self.transport.write(mask_frame(OP_CLOSE, code.to_bytes(2, "big")))
        else:
            self.transport.close()

    def fail(self, reason: str) -> None:
        self.error = reason
        if not self.opened.done():
            self.opened.set_result(False)

    @property
    def alive(self) -> bool:
        return self.is_open and not self.lost.done() and self.close_code is None


class NullSink:
    def on_text(self, client: WsClient, payload: bytes, t: float) -> None:
        pass


async def open_client(
    index: int, url: str, path: str, sink, *, timeout: float, wait_first: bool, cookie: str = ""
) -> WsClient:
    """Connect one socket; on return ``client.error`` is None if it opened (and got a frame)."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    origin = f"http://{host}:{port}"
    loop = asyncio.get_running_loop()
    client = WsClient(index, host, port, path, origin, sink, cookie)
    try:
        async with asyncio.timeout(timeout):
            await loop.create_connection(lambda: client, host, port)
            if not await client.opened:
                return client
            if wait_first and not await client.first_frame:
                client.error = client.error or f"closed {client.close_code} before first frame"
    except TimeoutError:
        client.error = "timeout"
        if client.transport is not None:
            client.transport.abort()
    except OSError as exc:
        client.error = f"{type(exc).__name__}: {exc.strerror or exc}"
    return client


async def open_many(spec: dict, sink, count: int) -> tuple[list[WsClient], list[WsClient]]:
    urls = spec["urls"]
    cookies = spec.get("cookies") or []
    limit = asyncio.Semaphore(spec.get("connect_concurrency", 100))

    async def one(i: int) -> WsClient:
        async with limit:
            return await open_client(
                i,
                urls[i % len(urls)],
                spec["path"],
                sink,
                timeout=spec.get("connect_timeout", 30),
                wait_first=spec.get("wait_first", False),
                cookie=cookies[i % len(cookies)] if cookies else "",
            )

    clients = await asyncio.gather(*(one(i) for i in range(count)))
    good = [c for c in clients if c.error is None]
    return list(clients), good


async def close_all(clients: list[WsClient], timeout: float = 5) -> None:
    for client in clients:
        client.close()
    pending = [c.lost for c in clients if not c.lost.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)
    for client in clients:
        if client.transport is not None and not client.lost.done():
            client.transport.abort()


def error_counts(clients: list[WsClient]) -> dict[str, int]:
    return dict(Counter(c.error for c in clients if c.error))


# -- HTTP --------------------------------------------------------------------------------


class HttpConnection:
    """A keep-alive HTTP/1.1 connection; one request at a time."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, int]:
        """Send one request; returns (status, body bytes). Reconnects when the server closed."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body or method not in {"GET", "HEAD"}:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, _, header_block = head.partition(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = None
        chunked = close = False
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        size = 0
        if chunked:
            while True:
                chunk = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if chunk:
                    size += len(await self.reader.readexactly(chunk))
                await self.reader.readuntil(b"\r\n")
                if not chunk:
                    break
        elif length is not None:
            size = len(await self.reader.readexactly(length)) if length else 0
        else:
            size = len(await self.reader.read())
            close = True
        if close:
            self.close()
        return status, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class PageLoad:
    """``concurrency`` keep-alive loops on one path; only requests started after warm-up count."""

    def __init__(self, host: str, port: int, path: str, warmup: float, duration: float) -> None:
        self.host, self.port, self.path = host, port, path
        self.measure_from = perf() + warmup
        self.stop_at = self.measure_from + duration
        self.latencies: list[float] = []
        self.sizes: list[int] = []
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.cpu0: float | None = None

    async def loop(self) -> None:
        connection = HttpConnection(self.host, self.port)
        try:
            while (t0 := perf()) < self.stop_at:
                try:
                    status, size = await connection.request("GET", self.path)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    connection.close()
                    if t0 >= self.measure_from:
                        self.errors[type(exc).__name__] += 1
                    await asyncio.sleep(0.01)
                    continue
                if t0 >= self.measure_from:
                    if self.cpu0 is None:
                        self.cpu0 = cpu_seconds()
                    self.latencies.append(perf() - t0)
                    self.statuses[status] += 1
                    self.sizes.append(size)
        finally:
            connection.close()


async def http_load(spec: dict) -> dict:
    """Each page in turn: ``concurrency`` keep-alive loops for ``warmup`` + ``duration`` s."""
    parts = urlsplit(spec["url"])
    pages = []
    for page in spec["pages"]:
        load = PageLoad(
            parts.hostname,
            parts.port or 80,
            page["path"],
            spec.get("warmup", 1.0),
            spec["duration"],
        )
        emit("measure_start", label=page["label"])
        await asyncio.gather(*(load.loop() for _ in range(spec["concurrency"])))
        emit("measure_end", label=page["label"])
        elapsed = perf() - load.measure_from
        ok = load.statuses.get(200, 0)
        client_cpu = cpu_seconds() - (load.cpu0 or cpu_seconds())
        pages.append(
            {
                "label": page["label"],
                "path": page["path"],
                "requests": len(load.latencies),
                "ok": ok,
                "statuses": {str(k): v for k, v in load.statuses.items()},
                "errors": dict(load.errors),
                "rps": round(ok / elapsed, 1) if elapsed > 0 else None,
                "latency_ms": summarize(load.latencies, 1000),
                "bytes": round(sum(load.sizes) / len(load.sizes)) if load.sizes else None,
                "client_cpu_pct": round(100 * client_cpu / elapsed, 1) if elapsed > 0 else None,
            }
        )
    return {"pages": pages}


# -- fan-out -----------------------------------------------------------------------------


class FanoutSink:
    """Collects, per trigger, the receipt times; per client, the sequence numbers seen."""

    def __init__(
        self, token: str, triggers: int, clients: int, ids: list[int] | None = None
    ) -> None:
        # With ``ids`` (trigger index -> the numeric object id its event carries, e.g. the
        # idea a vote is for), events are matched by ``"id":<number>`` instead of the token.
        self.ids = ids
        self.by_id = {str(v).encode(): i for i, v in enumerate(ids)} if ids else None
        self.token = token.encode()
        self.token_length = len(self.token)
        self.sent: list[float | None] = [None] * triggers
        self.received: list[list[float]] = [[] for _ in range(triggers)]
        self.seqs: list[list[int]] = [[] for _ in range(clients)]
        self.foreign = 0
        self.total = 0

    def on_text(self, client: WsClient, payload: bytes, t: float) -> None:
        if self.by_id is not None:
            if payload.startswith(b'{"type":"snapshot"'):
                return
            i = payload.find(b'"id":')
            if i < 0:
                return
            i += 5
            end = i
            while end < len(payload) and 48 <= payload[end] <= 57:
                end += 1
            index = self.by_id.get(payload[i:end])
            if index is None:
                self.foreign += 1
                return
        else:
            i = payload.find(b'"id":"')
            if i < 0:
                return
            i += 6
            key = payload[i : payload.find(b'"', i)]
            if not key.startswith(self.token):
                self.foreign += 1
                return
            index = int(key[self.token_length :])
        self.received[index].append(t)
        self.total += 1
        s = payload.find(b'"seq":')
        if s >= 0:
            self.seqs[client.index].append(parse_int(payload, s + 6))


class HttpTrigger:
    """Sends trigger requests over a few keep-alive connections without waiting in line."""

    def __init__(self, url: str, trigger: dict, connections: int = 8) -> None:
        parts = urlsplit(url)
        self.trigger = trigger
        self.idle: asyncio.Queue[HttpConnection] = asyncio.Queue()
        for _ in range(connections):
            self.idle.put_nowait(HttpConnection(parts.hostname, parts.port or 80))
        self.tasks: set[asyncio.Task] = set()
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()

    def fire(self, index: int, key: str, seq: int, sink: FanoutSink) -> None:
        task = asyncio.get_running_loop().create_task(self._send(index, key, seq, sink))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _send(self, index: int, key: str, seq: int, sink: FanoutSink) -> None:
        spec = dict(self.trigger)
        overrides = spec.get("per_trigger") or []
        if overrides:
            spec.update(overrides[index % len(overrides)])
        object_id = sink.ids[index] if sink.ids else None
        path = fill(spec["path"], key, seq, object_id)
        body = fill(spec.get("body", ""), key, seq, object_id).encode()
        headers = {k: fill(v, key, seq, object_id) for k, v in spec.get("headers", {}).items()}
        connection = await self.idle.get()
        try:
            sink.sent[index] = perf()
            status, _ = await connection.request(spec.get("method", "POST"), path, headers, body)
            self.statuses[status] += 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            connection.close()
            self.errors[type(exc).__name__] += 1
        finally:
            self.idle.put_nowait(connection)


def fill(template: str, key: str, seq: int, object_id: int | None = None) -> str:
    text = template.replace("{key}", key).replace("{seq}", str(seq))
    return text if object_id is None else text.replace("{id}", str(object_id))


async def fanout(spec: dict) -> dict:
    """Open ``clients`` sockets, then send ``warmup + count`` triggers at ``rate`` per second.

    A ws trigger's text is sent on the connected sockets in turn; an http trigger is a request.
    Each trigger's ``{key}`` (this run's token + its index) must come back in the event's
    ``"id"`` so each receipt is matched to its trigger; ``{seq}`` is the trigger's 1-based
    number, for streams (like the bare relay) that have no sequence of their own.
    """
    warmup, count = spec.get("warmup", 2), spec["count"]
    total = warmup + count
    token = spec.get("token") or f"b{os.getpid()}x"
    ids = spec.get("ids")
    if ids is not None and len(ids) < total:
        raise ValueError(f"{total} triggers need {total} ids, got {len(ids)}")
    sink = FanoutSink(token, total, spec["clients"], ids)
    clients, good = await open_many(spec, sink, spec["clients"])
    connect_errors = error_counts(clients)
    result: dict = {"clients": spec["clients"], "connected": len(good), "connect_errors": {}}
    result["connect_errors"] = connect_errors
    if not good:
        await close_all(clients)
        return result
    connect_s = max((c.t_open or c.t_start) for c in good) - min(c.t_start for c in clients)
    await asyncio.sleep(spec.get("pause", 0.5))

    trigger = spec["trigger"]
    http = (
        HttpTrigger(spec["urls"][0].replace("ws", "http", 1), trigger)
        if trigger["kind"] == "http"
        else None
    )
    interval = 1.0 / spec["rate"]
    emit("measure_start")
    cpu0 = cpu_seconds()
    start = perf()
    for index in range(total):
        delay = start + index * interval - perf()
        if delay > 0:
            await asyncio.sleep(delay)
        key = f"{token}{index}"
        if http is None:
            sender = good[index % len(good)]
            text = fill(trigger["text"], key, index + 1, ids[index] if ids else None)
            sink.sent[index] = perf()
            sender.send_text(text)
        else:
            http.fire(index, key, index + 1, sink)
    last_send = perf()
    alive = [c for c in good if c.alive]
    deadline = last_send + spec.get("settle", 5)
    expected = len(good)
    while perf() < deadline:
        if all(len(r) >= expected for r in sink.received[warmup:]):
            break
        await asyncio.sleep(0.02)
    end = perf()
    cpu1 = cpu_seconds()
    emit("measure_end")
    if http is not None and http.tasks:
        await asyncio.wait(http.tasks, timeout=5)
    alive = [c for c in good if c.alive]

    latencies: list[float] = []
    reach_all: list[float] = []
    received = missed = 0
    first_receipt = last_receipt = None
    for index in range(warmup, total):
        sent = sink.sent[index]
        times = sink.received[index]
        received += len(times)
        missed += max(0, expected - len(times))
        if sent is None or not times:
            continue
        latencies.extend(t - sent for t in times)
        if len(times) >= expected:
            reach_all.append(max(times) - sent)
        low, high = min(times), max(times)
        first_receipt = low if first_receipt is None else min(first_receipt, low)
        last_receipt = high if last_receipt is None else max(last_receipt, high)
    gaps, clients_with_gaps = add_gaps(sequence_gaps(seqs) for seqs in sink.seqs if seqs)
    first_sent = sink.sent[warmup] if count else None
    window = (last_receipt - first_sent) if last_receipt and first_sent else None
    result.update(
        {
            "connect_s": round(connect_s, 2),
            "triggers": count,
            "rate": spec["rate"],
            "expected": expected * count,
            "received": received,
            "missed": missed,
            "gaps": gaps.as_dict(),
            "clients_with_gaps": clients_with_gaps,
            "foreign_frames": sink.foreign,
            "latency_ms": summarize(latencies, 1000),
            "reach_all_ms": summarize(reach_all, 1000),
            "deliveries_per_s": round(received / window, 1) if window else None,
            "dropped_during_run": len(good) - len(alive),
            "close_codes": dict(Counter(str(c.close_code) for c in good if c.close_code)),
            "client_cpu_pct": round(100 * (cpu1 - cpu0) / (end - start), 1),
            "window_s": round(end - start, 2),
        }
    )
    if http is not None:
        result["trigger_statuses"] = {str(k): v for k, v in http.statuses.items()}
        result["trigger_errors"] = dict(http.errors)
    await close_all(clients)
    return result


# -- connect storm and idle --------------------------------------------------------------


async def storm(spec: dict) -> dict:
    """Open every socket at once; hold them; then check one broadcast reaches the survivors."""
    token = spec.get("token") or f"s{os.getpid()}x"
    sink = FanoutSink(token, 1, spec["clients"])
    spec = {**spec, "connect_concurrency": spec["clients"]}
    emit("measure_start")
    cpu0 = cpu_seconds()
    started = perf()
    clients, good = await open_many(spec, sink, spec["clients"])
    storm_s = perf() - started
    cpu1 = cpu_seconds()
    emit("measure_end")
    handshake = [c.t_open - c.t_start for c in clients if c.t_open]
    ready = [c.t_first - c.t_start for c in clients if c.t_first]
    await asyncio.sleep(spec.get("hold", 3))
    alive = [c for c in good if c.alive]
    delivered = None
    if alive and spec.get("trigger"):
        sink.sent[0] = perf()
        alive[0].send_text(fill(spec["trigger"]["text"], f"{token}0", 1))
        deadline = perf() + spec.get("settle", 10)
        while perf() < deadline and len(sink.received[0]) < len(alive):
            await asyncio.sleep(0.05)
        delivered = len(sink.received[0])
    result = {
        "clients": spec["clients"],
        "opened": sum(1 for c in clients if c.t_open),
        "ready": len(good),
        "alive_after_hold": len(alive),
        "broadcast_received": delivered,
        "errors": error_counts(clients),
        "close_codes": dict(Counter(str(c.close_code) for c in clients if c.close_code)),
        "handshake_ms": summarize(handshake, 1000),
        "ready_ms": summarize(ready, 1000),
        "storm_s": round(storm_s, 2),
        "client_cpu_pct": round(100 * (cpu1 - cpu0) / storm_s, 1) if storm_s else None,
    }
    await close_all(clients)
    return result


class BoardStormSink:
    """Per client: when its snapshot came, when it first had the trigger's idea (in its
    snapshot, or as an event: the ``key`` is in the idea's title), and the sequence numbers
    of its events after the snapshot's (for gaps)."""

    def __init__(self, key: str, clients: int) -> None:
        self.key = key.encode()
        self.snapshot_seq: list[int | None] = [None] * clients
        self.has_idea: list[float | None] = [None] * clients
        self.seqs: list[list[int]] = [[] for _ in range(clients)]

    def on_text(self, client: WsClient, payload: bytes, t: float) -> None:
        i = client.index
        s = payload.find(b'"seq":')
        seq = parse_int(payload, s + 6) if s >= 0 else None
        if payload.startswith(b'{"type":"snapshot"'):
            self.snapshot_seq[i] = seq
        elif seq is not None and self.snapshot_seq[i] is not None:
            self.seqs[i].append(seq)
        if self.has_idea[i] is None and self.key in payload:
            self.has_idea[i] = t


async def board_storm(spec: dict) -> dict:
    """Open every socket at once on a board while an idea is posted through the API (the
    trigger: ``{key}`` in its title), ``post_after`` seconds after the first connect; then
    wait until every socket has its snapshot and the idea (in its snapshot or as an event)."""
    token = spec.get("token") or f"i{os.getpid()}x"
    key = f"{token}0"
    sink = BoardStormSink(key, spec["clients"])
    spec = {**spec, "connect_concurrency": spec["clients"]}
    trigger = spec["trigger"]
    http = HttpConnection(*_host_port(spec["urls"][0]))
    posted: dict = {}

    async def post() -> None:
        await asyncio.sleep(spec.get("post_after", 0.0))
        body = fill(trigger["body"], key, 1).encode()
        posted["sent"] = perf()
        try:
            status, _ = await http.request("POST", trigger["path"], trigger["headers"], body)
            posted["status"] = status
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            posted["error"] = type(exc).__name__
        posted["answered"] = perf()

    emit("measure_start")
    cpu0 = cpu_seconds()
    started = perf()
    poster = asyncio.ensure_future(post())
    clients, good = await open_many(spec, sink, spec["clients"])
    await poster
    ready_s = perf() - started
    deadline = perf() + spec.get("settle", 30)
    while perf() < deadline and any(sink.has_idea[c.index] is None for c in good if c.alive):
        await asyncio.sleep(0.02)
    end = perf()
    cpu1 = cpu_seconds()
    emit("measure_end")
    http.close()
    sent = posted.get("sent")
    snapshot_at = [c.t_first - started for c in clients if c.t_first]
    idea_at = [sink.has_idea[c.index] - started for c in good if sink.has_idea[c.index]]
    gaps, clients_with_gaps = add_gaps(
        sequence_gaps(sink.seqs[c.index], (sink.snapshot_seq[c.index] or 0) + 1)
        for c in good
        if sink.seqs[c.index]
    )
    by_event = sum(1 for c in good if sink.seqs[c.index])
    result = {
        "clients": spec["clients"],
        "ready": len(good),
        "errors": error_counts(clients),
        "close_codes": dict(Counter(str(c.close_code) for c in clients if c.close_code)),
        "handshake_ms": summarize([c.t_open - c.t_start for c in clients if c.t_open], 1000),
        "snapshot_at_ms": summarize(snapshot_at, 1000),
        "all_snapshots_s": (
            round(max(snapshot_at), 2) if snapshot_at and len(snapshot_at) == len(clients) else None
        ),
        "idea_at_ms": summarize(idea_at, 1000),
        "all_have_idea_s": (
            round(max(idea_at), 2) if idea_at and len(idea_at) == len(good) else None
        ),
        "snapshot_numbers": len({sink.snapshot_seq[c.index] for c in good}),
        "idea_posted_at_ms": round(1000 * (sent - started), 1) if sent else None,
        "idea_post_ms": round(1000 * (posted["answered"] - sent), 1) if sent else None,
        "idea_post_status": posted.get("status"),
        "idea_post_error": posted.get("error"),
        "clients_idea_by_event": by_event,
        "gaps": gaps.as_dict(),
        "clients_with_gaps": clients_with_gaps,
        "ready_s": round(ready_s, 2),
        "storm_s": round(end - started, 2),
        "client_cpu_pct": round(100 * (cpu1 - cpu0) / (end - started), 1),
    }
    await close_all(clients)
    return result


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


async def idle(spec: dict) -> dict:
    """Open the sockets, say ``ready``, hold them until a line arrives on stdin."""
    clients, good = await open_many(spec, NullSink(), spec["clients"])
    emit("ready", connected=len(good), errors=error_counts(clients))
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    alive = sum(1 for c in good if c.alive)
    await close_all(clients)
    return {"clients": spec["clients"], "connected": len(good), "alive_at_end": alive}


# -- co-design ---------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyz"
NOTE_FIELDS = ("prompt", "group", "text", "version", "x", "y")


def letters(n: int) -> str:
    """``n`` as letters (0 → "a", 26 → "ba"): unique note texts without digits, which the
    screening rules could read as phone or account numbers."""
    out = LETTERS[n % 26]
    while n >= 26:
        n //= 26
        out = LETTERS[n % 26] + out
    return out


def note_row(note: dict) -> list:
    return [note[f] for f in NOTE_FIELDS]


class Participant:
    """One co-design client's view: the board's notes applied from snapshot + events in
    ``seq`` order, its own notes' versions, and its operations in flight."""

    def __init__(self, index: int, me: int) -> None:
        self.index = index
        self.me = me
        self.notes: dict[int, list] = {}  # id -> [prompt, group, text, version, x, y]
        self.last_seq: int | None = None
        self.own: list[int] = []
        self.versions: dict[int, int] = {}  # own note -> newest version known
        # own note -> the version it will have once this client's moves in flight are applied
        # (a socket's actions are applied in the order sent, so a client may chain them)
        self.chain: dict[int, int] = {}
        self.inflight: dict[str, tuple] = {}  # ref -> (kind, first sent, message)
        # event key -> [(kind, sent), …]: coalesced moves of one note share their event
        self.applied_wait: dict[tuple, list[tuple[str, float]]] = {}
        self.early: dict[tuple, float] = {}  # own events seen before their ack
        self.retry: list[tuple] = []  # stale operations waiting for the snapshot
        self.adds = 0
        self.ops = 0
        self.final_snapshot: dict[int, list] | None = None
        self.want_final = False

    def knows(self, note: int, version: int) -> None:
        """One of this participant's own notes is at least at ``version``."""
        if note not in self.versions:
            self.own.append(note)
            self.versions[note] = version
        elif version > self.versions[note]:
            self.versions[note] = version


class CodesignSink:
    """Decodes every frame (a session has few sockets), applies notes, measures apply times."""

    def __init__(self, people: list[Participant]) -> None:
        self.people = people
        self.clients: list[WsClient | None] = [None] * len(people)
        self.apply_ms: dict[str, list[float]] = {"note_add": [], "note_move": []}
        self.ack_ms: list[float] = []
        self.errors: Counter = Counter()
        self.acks = 0
        self.last_ack = 0.0
        self.held = 0
        self.stale_retries = 0
        self.busy = 0  # busy answers (each resent after the server's retry_after_ms)
        self.busy_waiting = 0
        self.superseded = 0
        self.gap_resyncs = 0
        self.missing = 0
        self.out_of_order = 0
        self.frames = 0
        self.refs = 0

    def send(self, person: Participant, kind: str, message: dict, first: float | None) -> None:
        client = self.clients[person.index]
        if client is None or not client.alive:
            self.errors["socket closed"] += 1
            return
        self.refs += 1
        ref = f"r{self.refs}"
        now = perf()
        person.inflight[ref] = (kind, first if first is not None else now, message)
        client.send_text(json.dumps({"type": kind, "ref": ref, **message}))

    def on_text(self, client: WsClient, payload: bytes, t: float) -> None:
        self.frames += 1
        frame = json.loads(payload)
        person = self.people[client.index]
        kind = frame.get("type")
        if kind == "snapshot":
            self.snapshot(client, person, frame)
        elif kind == "ack":
            self.ack(person, frame, t)
        elif kind == "error":
            self.error(person, frame)
        elif "seq" in frame:
            self.event(client, person, frame, t)

    def snapshot(self, client: WsClient, person: Participant, frame: dict) -> None:
        data = frame["data"]
        if person.me is None:
            person.me = data["you"]["participant"]
        notes = {n["id"]: note_row(n) for n in data["notes"]}
        if person.want_final:
            person.final_snapshot = notes
            person.want_final = False
        # Merge by version: an event received before this snapshot may be newer than it.
        for note_id, row in notes.items():
            have = person.notes.get(note_id)
            if have is None or row[3] >= have[3]:
                person.notes[note_id] = row
        for n in data["notes"]:
            if n["author"]["id"] == person.me:
                person.knows(n["id"], n["version"])
        seq = frame["seq"]
        person.last_seq = seq if person.last_seq is None else max(person.last_seq, seq)
        retry, person.retry = person.retry, []
        for kind, first, message in retry:
            if kind == "note_move":
                message = {**message, "version": person.versions.get(message["note"], 1)}
            self.send(person, kind, message, first)

    def ack(self, person: Participant, frame: dict, t: float) -> None:
        entry = person.inflight.pop(frame.get("ref"), None)
        if entry is None:
            return
        kind, first, _message = entry
        self.acks += 1
        self.last_ack = t
        self.ack_ms.append(1000 * (t - first))
        result = frame.get("result") or {}
        if result.get("held"):
            self.held += 1
            return
        note = result["note"]
        if kind == "note_add":
            key = ("c", note)
            person.knows(note, 1)
        else:
            key = ("u", note, result["version"])
            person.knows(note, result["version"])
        # Moves of one note coalesced into one flush share its event; they are answered in
        # the order sent, the move that won last.
        superseded = bool(result.get("superseded"))
        self.superseded += superseded
        seen = person.early.get(key) if superseded else person.early.pop(key, None)
        if seen is not None:
            self.apply_ms[kind].append(1000 * (seen - first))
        else:
            person.applied_wait.setdefault(key, []).append((kind, first))

    def error(self, person: Participant, frame: dict) -> None:
        code = frame.get("code", "?")
        entry = person.inflight.pop(frame.get("ref"), None)
        if code == "busy" and entry is not None:
            # Nothing of it was applied: send it again after the server's hint, as the
            # browser does (its latency still counts from the first send).
            self.busy += 1
            self.busy_waiting += 1
            kind, first, message = entry

            def again() -> None:
                self.busy_waiting -= 1
                self.send(person, kind, message, first)

            delay = frame.get("retry_after_ms", 1000) / 1000
            asyncio.get_running_loop().call_later(delay, again)
            return
        if code == "stale" and entry is not None:
            self.stale_retries += 1
            current = (frame.get("current") or {}).get("note")
            if current is None:  # a snapshot follows: resent once it arrives
                person.retry.append(entry)
                return
            # The refusal carries the note as it now stands: retry on its version at once. The
            # board itself is left to the event stream (the event for that version is coming).
            person.knows(current["id"], current["version"])
            kind, first, message = entry
            self.send(person, kind, {**message, "version": current["version"]}, first)
            person.chain[current["id"]] = current["version"] + 1
            return
        self.errors[code] += 1

    def event(self, client: WsClient, person: Participant, frame: dict, t: float) -> None:
        seq = frame["seq"]
        last = person.last_seq
        kind = frame["type"]
        note = frame["data"] if kind in ("note.created", "note.updated") else None
        own: list[tuple[tuple, int]] = []
        if note is not None and note["author"]["id"] == person.me:
            version = note["version"]
            key = ("c", note["id"]) if kind == "note.created" else ("u", note["id"], version)
            own.append((key, version))
        elif kind == "notes.moved":
            own = [
                (("u", n["id"], n["version"]), n["version"])
                for n in frame["data"]["notes"]
                if n["id"] in person.versions
            ]
        for key, version in own:
            # The sender's own event arrived (even if a snapshot already reflected it).
            person.knows(key[1], version)
            waiting = person.applied_wait.pop(key, None)
            if waiting is not None:
                for wait_kind, sent in waiting:
                    self.apply_ms[wait_kind].append(1000 * (t - sent))
            else:
                person.early[key] = t
        if last is None or seq <= last:
            return  # already reflected by the snapshot
        if seq > last + 1:
            self.missing += seq - last - 1
            self.gap_resyncs += 1
            client.send_text('{"type":"resync"}')
        person.last_seq = seq
        if note is not None:
            row = note_row(note)
            have = person.notes.get(note["id"])
            if have is not None and have[3] > row[3]:
                self.out_of_order += 1
            else:
                person.notes[note["id"]] = row
        elif kind == "notes.moved":
            for moved in frame["data"]["notes"]:
                have = person.notes.get(moved["id"])
                if have is None:
                    continue
                if have[3] > moved["version"]:
                    self.out_of_order += 1
                else:
                    have[3], have[4], have[5] = moved["version"], moved["x"], moved["y"]
        elif kind in ("note.deleted", "note.hidden"):
            person.notes.pop(frame["data"]["id"], None)
        elif kind == "notes.revealed":
            for note in frame["data"]["notes"]:
                person.notes[note["id"]] = note_row(note)


def compare_states(states: list[dict]) -> dict:
    """The most common state is the reference; how many clients and notes differ from it."""
    keys = [json.dumps(sorted(s.items())) for s in states]
    common, _count = Counter(keys).most_common(1)[0]
    reference = states[keys.index(common)]
    differing: set = set()
    clients = 0
    for key, state in zip(keys, states, strict=True):
        if key == common:
            continue
        clients += 1
        for note in set(state) | set(reference):
            if state.get(note) != reference.get(note):
                differing.add(note)
    return {
        "identical": clients == 0,
        "clients_differing": clients,
        "notes_differing": len(differing),
        "reference": {str(k): v for k, v in sorted(reference.items())},
    }


async def codesign(spec: dict) -> dict:
    """Participants on one session socket each, signed in by cookie, sending ``note_add`` /
    ``note_move`` at ``rate`` per second (jittered) for ``duration`` seconds.

    Apply latency: from sending an operation to the sender receiving its own resulting
    event (matched by note id and version; for a stale retry, from the first send). After
    the sends, the client waits up to ``drain`` seconds for every operation's ack and event
    (a saturated server answers late), then every client's applied notes are compared, then
    each asks for a snapshot (``resync``) and those are compared too.
    """
    rng = random.Random(spec.get("seed", 13))
    people = [Participant(i, p["id"]) for i, p in enumerate(spec["participants"])]
    sink = CodesignSink(people)
    count = len(people)
    open_spec = {
        **spec,
        "cookies": [p["cookie"] for p in spec["participants"]],
        "wait_first": True,
    }
    clients, good = await open_many(open_spec, sink, count)
    for client in clients:
        sink.clients[client.index] = client
    result: dict = {
        "clients": count,
        "connected": len(good),
        "connect_errors": error_counts(clients),
    }
    if len(good) < count:
        await close_all(clients)
        return result
    await asyncio.sleep(spec.get("pause", 0.5))

    prompts = spec["prompts"]
    rate, duration = spec["rate"], spec["duration"]
    add_share, add_cap, board = spec.get("add_share", 0.25), spec["add_cap"], spec["board"]
    per_client = round(rate * duration)
    sent: Counter = Counter()

    async def operate(person: Participant) -> None:
        due = perf() + rng.uniform(0, 1 / rate)
        for n in range(per_client):
            delay = due - perf()
            if delay > 0:
                await asyncio.sleep(delay)
            due += rng.uniform(0.5, 1.5) / rate  # jittered, rate on average
            if not person.own and person.adds >= add_cap:
                sent["skipped"] += 1  # every add still unanswered: nothing of its own to move
                continue
            if not person.own or (person.adds < add_cap and rng.random() < add_share):
                person.adds += 1
                text = f"Note {letters(person.index)} {letters(n)}: a bench by the shelter"
                message = {
                    "text": text,
                    "prompt": prompts[n % len(prompts)],
                    "x": rng.randrange(board),
                    "y": rng.randrange(board),
                }
                sink.send(person, "note_add", message, None)
                sent["note_add"] += 1
            else:
                note = rng.choice(person.own)
                version = max(person.versions[note], person.chain.get(note, 0))
                person.chain[note] = version + 1
                message = {
                    "note": note,
                    "version": version,
                    "x": rng.randrange(board),
                    "y": rng.randrange(board),
                }
                sink.send(person, "note_move", message, None)
                sent["note_move"] += 1

    emit("measure_start")
    cpu0 = cpu_seconds()
    start = perf()
    await asyncio.gather(*(operate(p) for p in people))
    last_send = perf()
    deadline = last_send + spec.get("drain", 30)

    def outstanding() -> int:
        waiting = sum(
            len(p.inflight) + sum(map(len, p.applied_wait.values())) + len(p.retry) for p in people
        )
        return waiting + sink.busy_waiting

    while perf() < deadline and outstanding():
        await asyncio.sleep(0.02)
    end = perf()
    cpu1 = cpu_seconds()
    emit("measure_end")
    await asyncio.sleep(spec.get("quiet", 1.0))  # late events still count towards the state
    applied = compare_states([p.notes for p in people])

    for person, client in zip(people, sink.clients, strict=True):
        person.want_final = True
        client.send_text('{"type":"resync"}')
    deadline = perf() + spec.get("settle", 5)
    while perf() < deadline and any(p.want_final for p in people):
        await asyncio.sleep(0.02)
    snapshots = [p.final_snapshot for p in people if p.final_snapshot is not None]
    resynced = compare_states(snapshots) if snapshots else None
    if resynced is not None:
        resynced["same_as_applied"] = resynced["reference"] == applied["reference"]
        resynced["clients_answered"] = len(snapshots)
        del resynced["reference"]
    alive = [c for c in good if c.alive]
    all_apply = sink.apply_ms["note_add"] + sink.apply_ms["note_move"]
    result.update(
        {
            "rate_per_client": rate,
            "duration_s": duration,
            "ops_sent": dict(sent),
            "ops_per_s": round((sent["note_add"] + sent["note_move"]) / (last_send - start), 1),
            "acks_per_s": round(sink.acks / (sink.last_ack - start), 1) if sink.acks else None,
            "drain_s": round(end - last_send, 2),
            "acks": sink.acks,
            "held": sink.held,
            "applied": len(all_apply),
            "unresolved": outstanding(),
            "errors": dict(sink.errors),
            "stale_retries": sink.stale_retries,
            "busy": sink.busy,
            "superseded": sink.superseded,
            "gap_resyncs": sink.gap_resyncs,
            "missing_seq": sink.missing,
            "out_of_order": sink.out_of_order,
            "apply_ms": summarize(all_apply),
            "apply_add_ms": summarize(sink.apply_ms["note_add"]),
            "apply_move_ms": summarize(sink.apply_ms["note_move"]),
            "ack_ms": summarize(sink.ack_ms),
            "frames": sink.frames,
            "notes": len(applied["reference"]),
            "applied_state": applied,
            "resync_state": resynced,
            "dropped_during_run": len(good) - len(alive),
            "close_codes": dict(Counter(str(c.close_code) for c in good if c.close_code)),
            "client_cpu_pct": round(100 * (cpu1 - cpu0) / (end - start), 1),
            "window_s": round(end - start, 2),
        }
    )
    await close_all(clients)
    return result


MODES = {
    "fanout": fanout,
    "storm": storm,
    "board_storm": board_storm,
    "idle": idle,
    "http": http_load,
    "codesign": codesign,
}


def main() -> None:
    spec = json.loads(sys.stdin.readline())
    limit = raise_fd_limit()
    if spec.get("clients", 0) + 64 > limit:
        emit("error", message=f"open-file limit {limit} is below {spec['clients']} sockets")
        sys.exit(1)
    with contextlib.suppress(KeyboardInterrupt):
        result = asyncio.run(MODES[spec["mode"]](spec))
        emit("result", **result)


if __name__ == "__main__":
    main()
