"""Mixed load for the fault tests: API and form writes, page reads and live board clients.

Everything talks to one served site on loopback. HTTP load runs in a few threads; the live
clients (``websockets``) run on one event loop in a thread of their own and follow
``realtime/static/realtime/live.js`` exactly: snapshot first, then events in sequence, a
resync on any gap or on a sequence starting again from 1, and a reconnect with back-off
(1 s doubling to 30 s) when the socket closes. Each write carries a marker so the test can
compare what was acknowledged with the rows in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

WRITE_KINDS = ("api_write", "form_write")
PAGE_KINDS = ("board_page", "idea_page", "api_idea")


@dataclass
class Tally:
    """What every request got, per kind; the markers of acknowledged writes."""

    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    acked: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sent: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # (kind, status) of refused requests that had no Retry-After
    without_retry_after: list[tuple[str, int]] = field(default_factory=list)
    # (monotonic time, kind, status) of every answer
    events: list[tuple[float, str, int | str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int | str, headers: dict, marker: str | None = None):
        with self.lock:
            self.statuses[kind][status] += 1
            # 202: accepted and held for moderation (stored, not yet public)
            if marker is not None and status in (201, 202, 302):
                self.acked[kind].add(marker)
            if isinstance(status, int) and status >= 500 and not headers.get("Retry-After"):
                self.without_retry_after.append((kind, status))
            self.events.append((time.monotonic(), kind, status))

    def summary(self) -> dict[str, dict[str, int]]:
        with self.lock:
            return {
                kind: {str(k): v for k, v in sorted(c.items(), key=str)}
                for kind, c in self.statuses.items()
            }


class HttpLoad:
    """Writers (API ideas, form comments) and readers (board, idea page, API idea)."""

    def __init__(self, port: int, data: dict, tag: str, *, writers: int = 2, readers: int = 2,
                 pause: float = 0.25) -> None:  # fmt: skip
        self.port = port
        self.data = data
        self.tag = tag
        self.pause = pause
        self.tally = Tally()
        self.stop_writes = threading.Event()
        self.stop_all = threading.Event()
        self._serial = iter(range(1, 10**9))
        self._serial_lock = threading.Lock()
        self.threads = [
            *(threading.Thread(target=self._api_writer, daemon=True) for _ in range(writers)),
            # One comment writer per idea: two comments on one idea committing at once can
            # publish their absolute counts out of commit order (a known gap, see
            # docs/operations.md), which is not what this load measures.
            *(
                threading.Thread(target=self._form_writer, args=(idea,), daemon=True)
                for idea in (data["idea"], data["other_idea"])[:writers]
            ),
            *(threading.Thread(target=self._reader, daemon=True) for _ in range(readers)),
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_writes.set()
        self.stop_all.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def _marker(self, kind: str) -> str:
        with self._serial_lock:
            return f"load-{self.tag}-{kind}-{next(self._serial)}"

    def _request(self, method, path, *, body=None, headers=None, timeout=10.0):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(
                method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
            )
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        except (OSError, http.client.HTTPException):
            return "no answer", {}
        finally:
            connection.close()

    def _session_headers(self, session: str | None = None) -> dict:
        data = self.data
        return {
            "Cookie": f"sessionid={session or data['session']}; csrftoken={data['csrf']}",
            "X-CSRFToken": data["csrf"],
            "Referer": f"http://127.0.0.1:{self.port}/",
        }

    def _writer(self, marker: str) -> dict:
        """The account a write goes as: writes take turns over many accounts."""
        serial = int(marker.rsplit("-", 1)[1])
        return self.data["writers"][serial % len(self.data["writers"])]

    def _api_writer(self) -> None:
        while not self.stop_writes.is_set():
            marker = self._marker("api")
            headers = {
                "Authorization": f"Bearer {self._writer(marker)['token']}",
                "Content-Type": "application/json",
            }
            body = json.dumps({"challenge": self.data["challenge"], "title": marker,
                               "body": "Posted through the API under faults."})  # fmt: skip
            with self.tally.lock:
                self.tally.sent["api_write"].add(marker)
            status, answer = self._request("POST", "/api/v1/ideas/", body=body, headers=headers)
            self.tally.record("api_write", status, answer, marker)
            time.sleep(self.pause)

    def _form_writer(self, idea: int) -> None:
        while not self.stop_writes.is_set():
            marker = self._marker("form")
            writer = self._writer(marker)
            headers = {
                **self._session_headers(writer["session"]),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = urlencode({"persona": writer["persona"], "body": marker})
            with self.tally.lock:
                self.tally.sent["form_write"].add(marker)
            status, answer = self._request(
                "POST", f"/ideas/{idea}/comments/", body=body, headers=headers
            )
            self.tally.record("form_write", status, answer, marker)
            time.sleep(self.pause)

    def _reader(self) -> None:
        pages = [
            ("board_page", f"/ideas/challenges/{self.data['challenge']}/", False),
            ("board_page", f"/ideas/challenges/{self.data['challenge']}/", True),
            ("idea_page", f"/ideas/{self.data['idea']}/", False),
            ("idea_page", f"/ideas/{self.data['idea']}/", True),
            ("api_idea", f"/api/v1/ideas/{self.data['idea']}/", False),
        ]
        while not self.stop_all.is_set():
            for kind, path, signed_in in pages:
                headers = self._session_headers() if signed_in else {}
                status, answer = self._request("GET", path, headers=headers)
                self.tally.record(kind, status, answer)
                time.sleep(self.pause)


# -- live clients -------------------------------------------------------------------------


@dataclass
class BoardView:
    """What one client believes. Clients sorted by "new" follow the board's idea total (a
    new idea is counted once, by id: its event can follow a snapshot that already holds
    it); clients sorted by "top" follow the watched idea's comment count (absolute)."""

    sort: str = "new"
    seq: int | None = None
    total: int | None = None
    comments: int | None = None
    ids: set = field(default_factory=set)
    reconnects: int = 0
    resyncs: int = 0

    def state(self) -> tuple | None:
        if self.seq is None:
            return None
        return (self.sort, self.total if self.sort == "new" else self.comments)


def board_state(snapshot: dict, idea: int, sort: str) -> tuple:
    data = snapshot["data"]
    if sort == "new":
        return (sort, data["total"])
    card = next((c for c in data["ideas"] if c["id"] == idea), None)
    return (sort, card["comment_count"] if card else None)


class LiveClients:
    """``count`` board clients on one event loop in a thread (loopback only)."""

    def __init__(self, port: int, challenge: int, idea: int, count: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/boards/{challenge}/?sort="
        self.origin = f"http://127.0.0.1:{port}"
        self.idea = idea
        self.views = [BoardView(sort=("new", "top")[n % 2]) for n in range(count)]
        self.loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ready = threading.Event()
        self.stuck: str | None = None  # what the clients that never caught up showed

    def start(self, timeout: float = 120) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while any(view.seq is None for view in self.views):
            if time.monotonic() > deadline:
                missing = sum(view.seq is None for view in self.views)
                raise AssertionError(f"{missing} live clients never got a snapshot")
            time.sleep(0.2)

    def stop(self) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def states(self) -> list[tuple | None]:
        return [view.state() for view in self.views]

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())
        self.loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        opening = asyncio.Semaphore(50)  # connect in waves, as pages would load
        tasks = [asyncio.create_task(self._client(view, opening)) for view in self.views]
        await self._stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _client(self, view: BoardView, opening: asyncio.Semaphore) -> None:
        from websockets.asyncio.client import connect

        delay = 1.0
        first = True
        while True:
            try:
                async with opening:
                    socket = await connect(self.url + view.sort, origin=self.origin, open_timeout=30,
                                           ping_interval=None, max_size=2**20)  # fmt: skip
                if not first:
                    view.reconnects += 1
                first = False
                delay = 1.0
                async with socket:
                    async for text in socket:
                        await self._frame(view, socket, json.loads(text))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: S110 - closed or refused: reconnect as live.js does
                pass
            view.seq = None
            await asyncio.sleep(delay + random.random() * 0.5)
            delay = min(delay * 2, 30.0)

    async def _frame(self, view: BoardView, socket, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "snapshot":
            view.seq = frame["seq"]
            view.total = frame["data"]["total"]
            view.ids = {card["id"] for card in frame["data"]["ideas"]}
            view.comments = board_state(frame, self.idea, "top")[1]
            return
        seq = frame.get("seq")
        if not isinstance(seq, int) or view.seq is None:
            return
        if seq <= view.seq:
            if seq == 1 and view.seq > 1:
                await self._resync(view, socket)
            return
        if seq != view.seq + 1:
            await self._resync(view, socket)
            return
        view.seq = seq
        if kind == "idea.created" and frame.get("id") not in view.ids:
            view.ids.add(frame.get("id"))
            view.total += 1
        elif kind == "comment.created" and frame["data"]["comment"]["idea"] == self.idea:
            view.comments = frame["data"]["comment_count"]

    async def _resync(self, view: BoardView, socket) -> None:
        view.seq = None
        view.resyncs += 1
        with contextlib.suppress(Exception):
            await socket.send(json.dumps({"type": "resync"}))
