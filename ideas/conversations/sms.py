"""Conversations by text message (registered in ``ConversationsConfig.ready``).

* ``JOIN <code>`` makes a conversation the sender's **current** one: the last conversation
  they joined by text (``<code>`` is its text code, or its number on the website). Joining
  another switches.
* ``A 12`` / ``D 12`` / ``P 12`` agree with, disagree with or pass on statement 12 of the
  current conversation, through the same action as the website (last vote wins). The reply
  offers the next statement the routing picks for them.

Only verified, active numbers reach these commands (``community.sms.services``); anything
refused (closed conversation, unknown statement, no current conversation) is answered with
what to do and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from community.sms.commands import Command, register_command
from ideas.conversations import actions, selectors
from ideas.conversations.models import Choice, Conversation, Statement, TextParticipant

SHORT = 80


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rsplit(" ", 1)[0] + "…"


def _offer(user, conversation: Conversation) -> str:
    statement, _progress = selectors.next_statement(user, conversation)
    if statement is None:
        return _("You have voted on every statement. Thank you!")
    return _("Next, statement %(n)d: “%(text)s” Text A %(n)d, D %(n)d or P %(n)d.") % {
        "n": statement.number,
        "text": _short(statement.text),
    }


def _find(code: str) -> Conversation | None:
    found = selectors.public_conversations().annotate(code=Upper("sms_code"))
    if code.isdigit():
        return found.filter(pk=int(code)).first()
    return found.filter(code=code.upper()).exclude(sms_code="").first()


def join(command: Command) -> str:
    code = command.rest.strip().split(" ")[0][:12]
    if not code:
        return _("Please text JOIN and the conversation's code, like this: JOIN BUSES")
    conversation = _find(code)
    if conversation is None:
        return _(
            "We do not know the conversation %(code)s. Check the code on the poster or "
            "website and text JOIN and the code again."
        ) % {"code": code}
    try:
        actions.text_join(user=command.user, conversation=conversation)
    except PermissionDenied as exc:
        return str(exc)
    return _("You joined “%(title)s”. %(offer)s") % {
        "title": _short(conversation.title),
        "offer": _offer(command.user, conversation),
    }


def _vote(command: Command, choice: int) -> str:
    number = command.rest.strip().lstrip("#")
    letter = command.keyword.upper()
    if not number.isdigit():
        return _("Please text %(letter)s and the statement number, like this: %(letter)s 12") % {
            "letter": letter
        }
    current = (
        TextParticipant.objects.select_related("conversation").filter(account=command.user).first()
    )
    if current is None:
        return _("Join a conversation first: text JOIN and its code (on the poster or website).")
    conversation = current.conversation
    statement: Statement | None = selectors.statement_by_number(conversation.pk, int(number))
    if statement is None:
        return _(
            "We could not find statement %(n)s in “%(title)s”. Check the number and text "
            "again. Nothing was changed."
        ) % {"n": number[:6], "title": _short(conversation.title)}
    try:
        actions.vote_cast(user=command.user, statement=statement, choice=choice)
    except (PermissionDenied, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return _("%(reason)s Nothing was changed.") % {"reason": message}
    said = {
        Choice.AGREE: _("You agree with statement %(n)d."),
        Choice.DISAGREE: _("You disagree with statement %(n)d."),
        Choice.PASS: _("You passed on statement %(n)d."),
    }[choice] % {"n": statement.number}
    return f"{said} {_offer(command.user, conversation)}"


def register() -> None:
    register_command("JOIN", join)
    register_command("A", lambda c: _vote(c, Choice.AGREE))
    register_command("D", lambda c: _vote(c, Choice.DISAGREE))
    register_command("P", lambda c: _vote(c, Choice.PASS))
