"""The live conversation of one exchange: ``/ws/exchange/<id>/``.

Only the two sides (including members of an intermediary acting for a side) may connect;
everyone else, signed in or not, is closed with 4403, and an unknown exchange with 4404. The
snapshot carries the exchange state and the latest messages; events are ``exchange.message``,
``exchange.message_hidden`` and ``exchange.updated``. Inbound ``message`` frames call the same
service as the HTTP form (:func:`~community.exchange.actions.conversations.message_send`).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from community.exchange import permissions, selectors
from community.exchange.actions.conversations import message_send
from community.exchange.events import conversation_stream
from community.exchange.models import Exchange
from realtime.consumers import Action, LiveConsumer


class ConversationConsumer(LiveConsumer):
    actions = {
        "message": Action(
            handler="handle_message",
            properties={"body": {"type": "string", "minLength": 1, "maxLength": 4000}},
            required=("body",),
        ),
    }

    async def resolve_stream(self) -> str | None:
        if not self.is_authenticated:
            raise PermissionDenied
        exchange_id = int(self.scope["url_route"]["kwargs"]["exchange_id"])
        allowed = await database_sync_to_async(self._allowed)(exchange_id)
        if allowed is None:
            return None
        if not allowed:
            raise PermissionDenied
        self.exchange_id = exchange_id
        return conversation_stream(exchange_id)

    def _allowed(self, exchange_id: int) -> bool | None:
        try:
            exchange = selectors.exchange_for_display(exchange_id)
        except Exchange.DoesNotExist:
            return None
        return permissions.can_view_exchange(self.user, exchange)

    def _exchange_for_viewer(self) -> tuple[Exchange, str]:
        """Re-checked on every use: a person removed from an intermediary loses access."""
        exchange = selectors.exchange_for_display(self.exchange_id)
        self.user.__dict__.pop("_role_cache", None)  # memberships may have changed since connect
        side = permissions.side_of(self.user, exchange)
        if side is None:
            raise PermissionDenied
        return exchange, side

    def build_snapshot(self) -> dict[str, Any]:
        exchange, side = self._exchange_for_viewer()
        return selectors.conversation_snapshot(exchange, side=side)

    def handle_message(self, *, body: str) -> dict[str, Any]:
        exchange, _side = self._exchange_for_viewer()
        message = message_send(user=self.user, exchange=exchange, body=body)
        if message.screening.held:  # the action's content screening
            return {"id": message.pk, "held": True, "note": message.screening.message}
        return {"id": message.pk}
