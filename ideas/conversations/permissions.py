"""Who may do what in conversations, as named ``rules`` predicates (the one place that
decides; templates ask ``{% may "conversations.vote_in_conversation" user conversation as ok %}``).

* **Create, edit, close** a conversation and post seed statements: the agency's service
  designers and agency admins (``ideas.permissions.can_run_challenges``), superusers.
* **See** a conversation and its report: everyone once it is published (the report shows
  only aggregates, small groups suppressed); before it opens, only its runners.
* **Vote** (agree / disagree / pass): any signed-in active account while it is open.
* **Add a statement**: voters, while open and if the conversation allows it; runners until
  it closes (starting statements go in before it opens).
* **Promote** a statement to the backlog: whoever may shape the agency's backlog.

``why_not_*`` return the reason shown to people; they are built from the predicates, so the
reason and the yes/no cannot disagree.
"""

from __future__ import annotations

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation
from community.permissions import can_contribute
from community.types import AnyUser
from ideas.backlog.permissions import can_manage_backlog
from ideas.conversations.models import Conversation, Statement
from ideas.permissions import can_run_challenges


@rules.predicate
def runs_agency(user: AnyUser, agency: Organisation | int | None) -> bool:
    return can_run_challenges(user, agency)


@rules.predicate
def runs_conversation(user: AnyUser, conversation: Conversation) -> bool:
    return can_run_challenges(user, conversation.agency_id)


@rules.predicate
def is_contributor(user: AnyUser) -> bool:
    return can_contribute(user)


@rules.predicate
def has_started(_user: AnyUser, conversation: Conversation) -> bool:
    return conversation.has_started


@rules.predicate
def is_open(_user: AnyUser, conversation: Conversation) -> bool:
    return conversation.is_open


@rules.predicate
def not_closed(_user: AnyUser, conversation: Conversation) -> bool:
    return conversation.closes_at is None or not conversation.closes_at <= timezone.now()


@rules.predicate
def takes_statements(_user: AnyUser, conversation: Conversation) -> bool:
    return conversation.allow_statements


@rules.predicate
def manages_statement_backlog(user: AnyUser, statement: Statement) -> bool:
    return can_manage_backlog(user, statement.conversation.agency_id)


can_create_conversation = runs_agency
can_manage_conversation = runs_conversation
can_view_conversation = has_started | runs_conversation
can_vote = is_contributor & is_open
can_add_statement = is_contributor & (
    (is_open & takes_statements) | (runs_conversation & not_closed)
)
can_promote_statement = manages_statement_backlog

rules.add_perm("conversations.create_conversation", can_create_conversation)
rules.add_perm("conversations.manage_conversation", can_manage_conversation)
rules.add_perm("conversations.read_conversation", can_view_conversation)
rules.add_perm("conversations.vote_in_conversation", can_vote)
rules.add_perm("conversations.post_statement", can_add_statement)
rules.add_perm("conversations.promote_statement", can_promote_statement)


def why_not_vote(user: AnyUser, conversation: Conversation) -> str | None:
    if can_vote(user, conversation):
        return None
    if not can_contribute(user):
        return _("Sign in to take part in this conversation.")
    if not conversation.has_started:
        return _("This conversation has not opened yet.")
    return _("This conversation is closed: votes are no longer taken.")


def why_not_add_statement(user: AnyUser, conversation: Conversation) -> str | None:
    if can_add_statement(user, conversation):
        return None
    if not can_contribute(user):
        return _("Sign in to take part in this conversation.")
    if not not_closed(user, conversation):
        return _("This conversation is closed: statements are no longer taken.")
    if not conversation.has_started:
        return _("This conversation has not opened yet.")
    return _("In this conversation only the agency adds statements.")
