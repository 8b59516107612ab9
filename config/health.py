"""``/healthz``: is this process able to reach its database and its channel layer?

Load balancers and the compose health check call it. 200 with ``"status": "ok"`` when both
answer, 503 naming the failing part otherwise. It reveals backend kinds, never addresses.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


async def _check_channel_layer() -> dict:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.check"})
    message = await layer.receive(channel)
    if message.get("type") != "health.check":
        raise RuntimeError("channel layer returned an unexpected message")
    return {"status": "ok", "backend": type(layer).__name__}


async def _run(check, name: str) -> dict:
    try:
        return await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("health check failed", extra={"component": name, "error": str(exc)})
        return {"status": "error", "error": type(exc).__name__}


@never_cache
async def healthz(request):
    database = await _run(sync_to_async(_check_database, thread_sensitive=True), "database")
    layer = await _run(_check_channel_layer, "channel_layer")
    healthy = database["status"] == "ok" and layer["status"] == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "process": settings.PROCESS_NAME,
        "database": database,
        "channel_layer": layer,
    }
    return JsonResponse(body, status=200 if healthy else 503)
