"""Conversations: responding to a post, messages, sharing contact details, blocking.

Every message goes to the conversation's private stream (``exchange.message``); the other side
is notified, once until read for chat.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.notifications import notify
from community.exchange import permissions, selectors
from community.exchange.actions.checks import (
    acting_persona,
    check_not_blocked,
    check_persona,
    clean_behalf,
    other_side,
    require_side,
)
from community.exchange.events import publish_message
from community.exchange.models import Block, Exchange, Message, Post, SafetyAcknowledgement, Side
from community.models import Notification, Organisation, Persona, User
from community.moderation.actions.holds import content_screen
from community.moderation.selectors import is_hidden
from community.text import plain_text, sanitize_html

MESSAGE_MAX = 4000


def conversation_url(exchange: Exchange) -> str:
    return reverse("exchange:conversation", args=[exchange.pk])


def notify_side(
    exchange: Exchange,
    side: str,
    *,
    title: str,
    body: str = "",
    actor: User | None,
    once_until_read: bool = False,
) -> None:
    """Notify the accounts of ``side`` (never the actor).

    With ``once_until_read``, a recipient who already has an unread notification for this
    conversation gets no second one (so a chat does not flood their notifications).
    """
    url = conversation_url(exchange)
    recipients = selectors.side_users(exchange, side)
    if once_until_read:
        waiting = Notification.objects.filter(
            url=url, read_at__isnull=True, category="exchange"
        ).values("recipient_id")
        recipients = recipients.exclude(pk__in=waiting)
    notify(
        recipients=recipients, category="exchange", title=title, body=body, url=url, exclude=actor
    )


def event_message(exchange: Exchange, side: str, persona: Persona, user: User, text: str) -> None:
    """A line in the conversation recording a step (proposal, agreement, completion)."""
    message = Message.objects.create(
        exchange=exchange,
        side=side,
        author=persona,
        author_user=user,
        kind=Message.Kind.EVENT,
        body=sanitize_html(text),
    )
    publish_message(message)


def safety_acknowledge(*, user: User) -> SafetyAcknowledgement:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to use the exchange."))
    ack, _created = SafetyAcknowledgement.objects.get_or_create(user=user)
    return ack


def exchange_respond(
    *,
    user: User,
    post: Post,
    persona: Persona,
    message: str,
    organisation: Organisation | None = None,
    on_behalf_of: str = "",
    safety_acknowledged: bool = False,
) -> Exchange:
    """Answer a post: opens a private conversation whose first message is ``message``.

    The safety guidance must have been read (now or before). Notifies the post's side.
    """
    permissions.ensure_may_post(user)
    check_persona(user, persona, organisation)
    if permissions.owns_post(user, post) or post.persona.account_id == persona.account_id:
        raise ValidationError(_("You cannot respond to your own post."))
    if post.closed_at is not None or is_hidden(post):
        raise ValidationError(_("This post is closed and no longer takes responses."))
    if post.expires_on < timezone.localdate():
        raise ValidationError(_("This post has expired and no longer takes responses."))
    state = selectors.is_blocked_between(user.pk, post.persona.account_id)
    if state == "blocked_you":
        raise PermissionDenied(_("This person is not accepting messages from you."))
    if state == "blocked_by_you":
        raise PermissionDenied(_("You blocked this person. Unblock them to respond."))
    if not safety_acknowledged and not selectors.has_read_safety_guidance(user):
        raise ValidationError(
            {"safety_acknowledged": _("Please read the safety guidance and tick the box.")}
        )
    behalf = clean_behalf(on_behalf_of, organisation, "on_behalf_of")
    body = _clean_message(message)
    try:
        with transaction.atomic():
            if safety_acknowledged:
                SafetyAcknowledgement.objects.get_or_create(user=user)
            exchange = Exchange.objects.create(
                post=post,
                responder=persona,
                responder_organisation=organisation,
                responder_on_behalf_of=behalf,
                created_by=user,
            )
            first = Message.objects.create(
                exchange=exchange, side=Side.RESPONDER, author=persona, author_user=user, body=body
            )
            exchange.screening = content_screen(user=user, obj=first, text=plain_text(body))
            notify_side(
                exchange,
                Side.OWNER,
                title=_("%(name)s responded to “%(title)s”")
                % {"name": persona.public_name, "title": post.title},
                body="" if exchange.screening.held else plain_text(first.body)[:300],
                actor=user,
            )
    except IntegrityError:
        raise ValidationError(
            _("You are already talking with this person about this post.")
        ) from None
    return exchange


def _clean_message(text: str) -> str:
    if len(text or "") > MESSAGE_MAX:
        raise ValidationError({"body": _("Keep messages under 4000 characters.")})
    body = sanitize_html(text)
    if not plain_text(body):
        raise ValidationError({"body": _("Write a message first.")})
    return body


def _require_writable(exchange: Exchange) -> None:
    """Checked against the database: the caller's copy may be stale (e.g. a long-lived socket)."""
    status = Exchange.objects.filter(pk=exchange.pk).values_list("status", flat=True).first()
    if status == Exchange.Status.CANCELLED:
        raise ValidationError(_("This exchange was cancelled; start a new one from the post."))


def message_send(*, user: User, exchange: Exchange, body: str) -> Message:
    """Post a message in a conversation; the other side is notified (once until read).

    Screened like all content (messages are private, so personal data is allowed): when
    ``message.screening.held``, no event is published and nobody is notified until a
    moderator approves it (then ``exchange.message`` is published by the moderation hook).
    """
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    _require_writable(exchange)
    check_not_blocked(user, exchange, side)
    clean = _clean_message(body)
    persona = acting_persona(user, exchange, side)
    with transaction.atomic():
        message = Message.objects.create(
            exchange=exchange, side=side, author=persona, author_user=user, body=clean
        )
        message.screening = content_screen(user=user, obj=message, text=plain_text(clean))
        if message.screening.held:
            return message  # nobody sees it, and nobody is told, until a moderator approves
        Exchange.objects.filter(pk=exchange.pk).update(updated_at=timezone.now())
        publish_message(message)
        notify_side(
            exchange,
            other_side(side),
            title=_("New message from %(name)s") % {"name": persona.public_name},
            body=plain_text(clean)[:300],
            actor=user,
            once_until_read=True,
        )
    return message


def contact_share(
    *, user: User, exchange: Exchange, details: str = "", include_email: bool = False
) -> Message:
    """Share the user's own contact details in this conversation only, by their choice.

    The platform never shows an account's email address otherwise.
    """
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    _require_writable(exchange)
    check_not_blocked(user, exchange, side)
    details = " ".join(plain_text(details or "").split())
    if len(details) > 300:
        raise ValidationError({"details": _("Keep contact details under 300 characters.")})
    parts = [details] if details else []
    if include_email and user.email:
        parts.append(user.email)
    if not parts:
        raise ValidationError(
            {"details": _("Enter the details you want to share, or tick to share your email.")}
        )
    persona = acting_persona(user, exchange, side)
    text = _("%(name)s shared contact details: %(details)s") % {
        "name": persona.public_name,
        "details": " · ".join(parts),
    }
    with transaction.atomic():
        message = Message.objects.create(
            exchange=exchange,
            side=side,
            author=persona,
            author_user=user,
            kind=Message.Kind.CONTACT,
            body=sanitize_html(text),
        )
        publish_message(message)
        notify_side(
            exchange,
            other_side(side),
            title=_("%(name)s shared contact details") % {"name": persona.public_name},
            actor=user,
            once_until_read=True,
        )
    return message


def person_block(*, user: User, persona: Persona) -> Block:
    """Stop hearing from the account behind ``persona`` (never revealed to the blocker)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to block someone."))
    if persona.account_id is None:
        raise ValidationError(_("This person has left the platform."))
    if persona.account_id == user.pk:
        raise ValidationError(_("You cannot block yourself."))
    with transaction.atomic():
        block, _created = Block.objects.get_or_create(
            blocker=user, blocked_id=persona.account_id, defaults={"via_persona": persona}
        )
    return block


def person_unblock(*, user: User, block: Block) -> None:
    if block.blocker_id != getattr(user, "pk", None):
        raise PermissionDenied(_("That is not your block."))
    with transaction.atomic():
        block.delete()
