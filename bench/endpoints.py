"""Server-side baselines the benchmarks compare the platform against.

Routed only by the benchmark servers' own entry point (``bench.asgi:application`` with
``bench.settings``), which the benchmark runner starts; the site's ``config.asgi`` never
imports this module. Never serve ``bench.asgi`` on a public site: the relay lets any client broadcast to every relay socket.

* ``GET /bench/ping``: the trivial Django view — the whole middleware stack, no database, a
  four-byte body. The floor for any page.
* ``/ws/bench/relay/``: :class:`RelayConsumer`, a bare Channels consumer. Every text frame it
  receives is ``group_send``-ed verbatim to every relay socket, which writes it out unchanged —
  the floor for any fan-out (same daphne, same channel layer, no envelope, no sequence
  counter, no validation).
* ``/ws/bench/relay-direct/``: :class:`DirectRelayConsumer`, the same without Channels'
  per-message database-connection check (a thread hop per delivered message).
* ``POST /bench/relay``: the same broadcast triggered over HTTP (the body is the frame), the
  floor for events caused by a form post or an API call.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

RELAY_GROUP = "bench.relay"


def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"pong", content_type="text/plain")


@csrf_exempt
async def relay(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    await get_channel_layer().group_send(
        RELAY_GROUP, {"type": "relay.message", "text": request.body.decode()}
    )
    return HttpResponse(status=204)


class RelayConsumer(AsyncWebsocketConsumer):
    groups = [RELAY_GROUP]  # joined before accept, left on disconnect, by the base class

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is not None:
            await self.channel_layer.group_send(
                RELAY_GROUP, {"type": "relay.message", "text": text_data}
            )

    async def relay_message(self, message: dict) -> None:
        await self.send(text_data=message["text"])


class DirectRelayConsumer(RelayConsumer):
    """The relay without Channels' per-message ``aclose_old_connections()``.

    Channels 4.3's ``AsyncConsumer.dispatch`` runs ``close_old_connections`` through
    ``sync_to_async`` — a hop through the one shared worker thread — before *every* handler,
    so fanning one event out to N sockets costs N serialised thread hops. Relaying touches no
    database, so this variant skips the hop; comparing it with :class:`RelayConsumer`
    measures what that hop costs (docs/performance.md).
    """

    async def dispatch(self, message: dict) -> None:
        if message["type"] == "relay.message":
            await self.relay_message(message)
        else:
            await super().dispatch(message)


app_name = "bench"
urlpatterns = [
    path("ping", ping, name="ping"),
    path("relay", relay, name="relay"),
]
