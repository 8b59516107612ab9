"""How exchange posts and messages take part in moderation (registered in ``ready()``).

The generic mechanism (:mod:`community.moderation`) keeps reports, holds, the audit log and
suspensions; the held/hidden state lives in its cases and exchange reads filter with
``hidden_q``. These hooks only tell live conversations: a hidden message disappears from both
sides' screens (``exchange.message_hidden``), an approved one appears (``exchange.message``).
Posts have no live stream: hiding one takes it off the list and its page at once.

The exchange belongs to no agency, so its content is platform-wide: any moderator may act.
Messages are private: only the two sides may see (and so report) them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.exchange import permissions, selectors
from community.exchange.events import MESSAGE_HIDDEN, MESSAGE_POSTED, conversation_stream
from community.exchange.models import Message, Post
from community.moderation.registry import register_reportable
from community.text import plain_text
from realtime.events import publish


def _post_text(post: Post) -> str:
    return "\n".join(
        part for part in (post.title, plain_text(post.description), post.availability) if part
    )


def _post_url(post: Post) -> str:
    return reverse("exchange:post", args=[post.pk])


def _message_url(message: Message) -> str:
    return f"{reverse('exchange:conversation', args=[message.exchange_id])}#message-{message.pk}"


def _message_context(message: Message) -> str:
    title = Post.objects.filter(exchanges__pk=message.exchange_id).values_list("title", flat=True)
    return str(
        _("Private message in a conversation about “%(title)s”") % {"title": title.first() or ""}
    )


def _hide_message(message: Message, reason: str) -> None:
    if not reason:
        return  # held by screening as it was sent: nobody has seen it, so nothing to remove
    publish(
        stream=conversation_stream(message.exchange_id),
        type=MESSAGE_HIDDEN,
        object_id=message.pk,
        data={"id": message.pk, "reason": str(reason)},
    )


def _publish_message(message: Message) -> None:
    message = Message.objects.select_related("author").get(pk=message.pk)
    publish(
        stream=conversation_stream(message.exchange_id),
        type=MESSAGE_POSTED,
        object_id=message.pk,
        data=selectors.message_data(message),
    )


def _may_see_message(user, message: Message) -> bool:
    exchange = selectors.exchange_for_display(message.exchange_id)
    return message.kind != Message.Kind.EVENT and permissions.can_view_exchange(user, exchange)


def register() -> None:
    register_reportable(
        Post,
        kind_label=_("Exchange offer or request"),
        author=lambda post: post.persona,
        agency=lambda post: None,
        text=_post_text,
        context=lambda post: str(
            _("%(kind)s in the service exchange") % {"kind": post.get_kind_display()}
        ),
        url=_post_url,
    )
    register_reportable(
        Message,
        kind_label=_("Exchange message"),
        author=lambda message: message.author,
        agency=lambda message: None,
        text=lambda message: plain_text(message.body),
        context=_message_context,
        url=_message_url,
        on_hide=_hide_message,
        on_publish=_publish_message,
        private=True,
        can_report=_may_see_message,
    )
