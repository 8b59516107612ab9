"""The realtime health stream: proves websockets and the channel layer work end to end.

``/ws/health/`` accepts any client, sends a snapshot naming the serving process, and answers
``{"type": "ping", "nonce": "…"}`` with a ``health.pong`` event broadcast to *every* health
client on every process — so an operator (or the cluster test) can see that a message sent
through one daphne process reaches clients of another. Pings are rate-limited like any
inbound message.
"""

from __future__ import annotations

from django.conf import settings

from realtime.consumers import Action, LiveConsumer
from realtime.events import HEALTH_PONG, apublish
from realtime.groups import stream


class HealthConsumer(LiveConsumer):
    actions = {
        "ping": Action(
            handler="handle_ping",
            properties={"nonce": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"}},
            required=("nonce",),
            requires_auth=False,
        )
    }

    async def resolve_stream(self) -> str:
        return stream("health")

    async def build_snapshot(self) -> dict:  # no database: no thread hop on connect
        return {"process": settings.PROCESS_NAME}

    async def handle_ping(self, *, nonce: str) -> dict:
        await apublish(
            stream=self.followed_stream(),
            type=HEALTH_PONG,
            object_id=nonce,
            data={"nonce": nonce, "process": settings.PROCESS_NAME},
        )
        return {"nonce": nonce}
