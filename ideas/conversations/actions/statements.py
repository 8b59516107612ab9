"""Statements: adding one (screened and moderated like every post) and promoting one to the
agency's innovation backlog."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from community.models import Persona, User
from community.moderation.actions import content_screen
from community.permissions import can_act_as
from community.selectors import primary_persona
from ideas.backlog import actions as backlog_actions
from ideas.backlog.models import TITLE_MAX as ITEM_TITLE_MAX
from ideas.backlog.models import BacklogHistory, BacklogItem
from ideas.conversations import permissions, selectors
from ideas.conversations.actions.conversations import clean_plain
from ideas.conversations.models import STATEMENT_MAX, Conversation, Statement


def _acting_persona(user: User, persona: Persona | None) -> Persona:
    if persona is None:
        persona = primary_persona(user)
        if persona is None:
            raise ValidationError(
                {"persona": _("Create a persona first: it is the name shown with your posts.")}
            )
    if not can_act_as(user, persona):
        raise PermissionDenied(_("You can only post as one of your own personas."))
    return persona


def statement_add(
    *,
    user: User,
    conversation: Conversation,
    text: str,
    persona: Persona | None = None,
    channel: str = "web",
) -> Statement:
    """Add a statement as one of ``user``'s personas; it gets the conversation's next number.

    Plain text up to ``STATEMENT_MAX`` characters; the same text twice in one conversation is
    refused. Screened like ideas and comments: a held statement is hidden (``is_hidden``) and
    routed to nobody until a moderator approves it; ``statement.screening`` says which.
    Statements by the conversation's runners are marked as the agency's (seed statements).
    """
    reason = permissions.why_not_add_statement(user, conversation)
    if reason:
        raise PermissionDenied(reason)
    persona = _acting_persona(user, persona)
    text = clean_plain(text, "text", STATEMENT_MAX, _("Write a statement first."))
    with transaction.atomic():
        # The conversation row is the lock that hands out numbers one at a time.
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
            raise ValidationError({"text": _("This conversation already has that statement.")})
        last = Statement.objects.filter(conversation=conversation).aggregate(n=Max("number"))["n"]
        statement = Statement.objects.create(
            conversation=conversation,
            number=(last or 0) + 1,
            persona=persona,
            text=text,
            is_seed=permissions.can_manage_conversation(user, conversation),
        )
        statement.screening = content_screen(user=user, obj=statement, text=text, channel=channel)
        if statement.screening.held:
            statement.is_hidden = True
    return statement


def _item_title(text: str) -> str:
    if len(text) <= ITEM_TITLE_MAX:
        return text
    cut = text[: ITEM_TITLE_MAX - 1].rsplit(" ", 1)[0] or text[: ITEM_TITLE_MAX - 1]
    return cut.rstrip(" ,;:") + "…"


def statement_promote(
    *, user: User, statement: Statement, is_public: bool = True, message: str = ""
) -> BacklogItem:
    """A consensus statement becomes an item in the conversation agency's backlog.

    Only statements the stored opinion map lists as consensus qualify. The item is linked to
    the statement (a backlog source, :mod:`ideas.conversations.sources`), so everyone who
    agreed with it hears back now (if public) and on every later public change. Promoting
    twice is refused.
    """
    if not permissions.can_promote_statement(user, statement):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    conversation = statement.conversation
    with transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.backlog_item_id is not None:
            raise ValidationError(_("This statement is already in the backlog."))
        if locked.is_hidden:
            raise ValidationError(_("Hidden statements cannot be promoted."))
        if locked.pk not in selectors.consensus_statement_ids(conversation):
            raise ValidationError(
                _("Only statements the opinion groups agree on (consensus) can be promoted.")
            )
        item = backlog_actions.item_create(
            user=user,
            agency=conversation.agency,
            title=_item_title(locked.text),
            problem=_("Statement %(n)d in the conversation “%(title)s”: %(text)s")
            % {"n": locked.number, "title": conversation.title, "text": locked.text},
            internal_notes=_("Conversation: %(url)s") % {"url": conversation.get_absolute_url()},
            is_public=is_public,
            public_message=message,
            sources=[locked],
            via=BacklogHistory.Via.PROMOTION,
        )
        locked.backlog_item = item
        locked.save(update_fields=["backlog_item"])
    statement.backlog_item = item
    return item
