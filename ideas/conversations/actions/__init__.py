"""Every write on conversations, one module per concern (check, then do).

Views, the SMS commands, the API and the demo call these; there is one way to vote.
"""

from ideas.conversations.actions.conversations import conversation_close, conversation_create
from ideas.conversations.actions.statements import statement_add, statement_promote
from ideas.conversations.actions.votes import text_join, vote_cast

__all__ = [
    "conversation_close",
    "conversation_create",
    "statement_add",
    "statement_promote",
    "text_join",
    "vote_cast",
]
