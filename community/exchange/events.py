"""Realtime event types of the exchange (documented in docs/realtime.md).

Every event goes to the conversation's private stream ``exchange:<id>``, which only the two
sides (and members of an intermediary acting for a side) may follow.
"""

from realtime.events import declare
from realtime.groups import stream
from realtime.schema import BOOL, INT, STR, TIME, null, obj

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
