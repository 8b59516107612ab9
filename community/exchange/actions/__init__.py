"""Every write of the service exchange and the time-credit ledger.

One module per concern: posts, conversations, agreements (hours, completion, thanks) and the
ledger. Each action checks permission (:mod:`community.exchange.permissions`) and validates
(``ValidationError`` with a message a person can act on), then writes inside
``transaction.atomic`` and publishes on the conversation stream after commit
(:mod:`community.exchange.events`). The ledger's rules are in
:mod:`community.exchange.actions.ledger`.
"""

from community.exchange.actions.agreements import (
    THANKS_MAX,
    exchange_accept,
    exchange_cancel,
    exchange_confirm_done,
    exchange_propose,
    parse_hours,
    thanks_give,
)
from community.exchange.actions.conversations import (
    MESSAGE_MAX,
    contact_share,
    conversation_url,
    exchange_respond,
    message_send,
    person_block,
    person_unblock,
    safety_acknowledge,
)
from community.exchange.actions.ledger import (
    ADJUSTMENTS_ACCOUNT,
    QUARTER,
    account_for_organisation,
    account_for_user,
    credits_adjust,
    credits_transfer,
    system_account,
)
from community.exchange.actions.posts import (
    DESCRIPTION_MAX,
    MAX_EXPIRY_DAYS,
    TITLE_MAX,
    TITLE_MIN,
    post_close,
    post_create,
    request_create_assisted,
)

__all__ = [
    "ADJUSTMENTS_ACCOUNT",
    "DESCRIPTION_MAX",
    "MAX_EXPIRY_DAYS",
    "MESSAGE_MAX",
    "QUARTER",
    "THANKS_MAX",
    "TITLE_MAX",
    "TITLE_MIN",
    "account_for_organisation",
    "account_for_user",
    "contact_share",
    "conversation_url",
    "credits_adjust",
    "credits_transfer",
    "exchange_accept",
    "exchange_cancel",
    "exchange_confirm_done",
    "exchange_propose",
    "exchange_respond",
    "message_send",
    "parse_hours",
    "person_block",
    "person_unblock",
    "post_close",
    "post_create",
    "request_create_assisted",
    "safety_acknowledge",
    "system_account",
    "thanks_give",
]
