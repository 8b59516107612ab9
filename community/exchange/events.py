"""Realtime event types of the exchange (documented in docs/realtime.md).

Every event goes to the conversation's private stream ``exchange:<id>``, which only the two
sides (and members of an intermediary acting for a side) may follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from community.exchange import selectors
from realtime.events import declare, publish
from realtime.groups import stream
from realtime.schema import BOOL, INT, STR, TIME, null, obj

if TYPE_CHECKING:
    from community.exchange.models import Exchange, Message

MESSAGE_POSTED = declare(
    "exchange.message",
    "A message in an exchange conversation: author persona, side, kind and sanitised HTML body.",
    schema=obj(id=INT, side=STR, kind=STR, author=STR, body_html=STR, created_at=TIME),
)
MESSAGE_HIDDEN = declare(
    "exchange.message_hidden",
    "A moderator hid a message in an exchange conversation.",
    schema=obj(id=INT, reason=STR),
)
EXCHANGE_UPDATED = declare(
    "exchange.updated",
    "An exchange changed state: hours proposed or agreed, a side confirmed, credits moved, "
    "thanks given, or the exchange was cancelled. Data is the full state.",
    schema=obj(
        id=INT,
        status=STR,
        status_label=STR,
        provider_side=STR,
        proposed_hours=null(STR),
        proposed_by=null(STR),
        hours=null(STR),
        owner_confirmed=BOOL,
        responder_confirmed=BOOL,
        thanks=obj({"owner": STR, "responder": STR}),
    ),
)


def conversation_stream(exchange_id: int) -> str:
    return stream("exchange", exchange_id)


def publish_state(exchange: Exchange) -> None:
    """``exchange.updated`` with the full state, after commit."""
    publish(
        stream=conversation_stream(exchange.pk),
        type=EXCHANGE_UPDATED,
        object_id=exchange.pk,
        data=selectors.exchange_state(exchange),
    )


def publish_message(message: Message) -> None:
    """``exchange.message`` for a message both sides may now see, after commit."""
    publish(
        stream=conversation_stream(message.exchange_id),
        type=MESSAGE_POSTED,
        object_id=message.pk,
        data=selectors.message_data(message),
    )
