"""A small websocket test client for the session consumer: request/response over refs,
events kept in arrival order."""

from __future__ import annotations

import itertools
from typing import Any

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from realtime.routing import websocket_urlpatterns

app = URLRouter(websocket_urlpatterns)
_refs = itertools.count(1)


class LiveClient:
    def __init__(self, session_id: int, user, session_store: dict | None = None) -> None:
        self.ws = WebsocketCommunicator(app, f"/ws/sessions/{session_id}/")
        self.ws.scope["user"] = user
        self.ws.scope["session"] = session_store if session_store is not None else {}
        self.events: list[dict] = []
        self.snapshot: dict | None = None

    async def connect(self) -> dict:
        connected, _ = await self.ws.connect()
        assert connected
        frame = await self.ws.receive_json_from(timeout=5)
        assert frame["type"] == "snapshot", frame
        self.snapshot = frame
        return frame

    async def disconnect(self) -> None:
        await self.ws.disconnect()

    async def _next(self) -> dict:
        frame = await self.ws.receive_json_from(timeout=5)
        if frame["type"] == "snapshot":
            self.snapshot = frame
        elif frame["type"] not in ("ack", "error"):
            self.events.append(frame)
        return frame

    async def send(self, type_: str, **payload: Any) -> dict:
        """Send an action; return its ack or error frame (events are kept meanwhile)."""
        ref = f"r{next(_refs)}"
        await self.ws.send_json_to({"type": type_, "ref": ref, **payload})
        while True:
            frame = await self._next()
            if frame["type"] in ("ack", "error") and frame.get("ref") == ref:
                if frame.get("code") == "stale" and "current" not in frame:
                    # A stale session-level change: the server follows with a snapshot.
                    while (await self._next())["type"] != "snapshot":
                        pass
                return frame

    async def ok(self, type_: str, **payload: Any) -> dict:
        frame = await self.send(type_, **payload)
        assert frame["type"] == "ack", frame
        return frame.get("result")

    async def event(self, type_: str, **match: Any) -> dict:
        """The first not yet consumed event of ``type_`` whose data matches ``match``."""
        while True:
            for index, frame in enumerate(self.events):
                if frame["type"] == type_ and all(
                    frame["data"].get(k) == v for k, v in match.items()
                ):
                    return self.events.pop(index)
            await self._next()

    async def quiet(self) -> bool:
        return await self.ws.receive_nothing(timeout=0.2)
