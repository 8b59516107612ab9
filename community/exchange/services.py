"""Every write of the service exchange and the time-credit ledger.

Keyword-only functions; each checks permission (``community.exchange.permissions``), validates
(raising ``ValidationError`` with a message a person can act on), writes inside
``transaction.atomic`` and publishes realtime events on the conversation stream after commit.

Ledger rules, which :func:`credits_transfer` alone enforces:

* a transfer is two movements summing to zero; ``Account.balance`` is updated in the same
  transaction;
* the paying account is row-locked (``select_for_update``) together with the receiving one,
  always in ascending id order so two transfers between the same accounts cannot deadlock;
* no person or intermediary balance may fall below ``settings.EXCHANGE["LOWER_LIMIT"]``;
* an exchange moves credits at most once (``Transfer.exchange`` is unique, and completion
  holds a row lock on the exchange).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.exchange import permissions, selectors
from community.exchange.events import (
    EXCHANGE_UPDATED,
    MESSAGE_POSTED,
    conversation_stream,
)
from community.exchange.models import (
    Account,
    Block,
    Category,
    Exchange,
    Message,
    Mode,
    Movement,
    Post,
    SafetyAcknowledgement,
    Side,
    ThankYou,
    Transfer,
    area_choices,
)
from community.models import Notification, Organisation, Persona, User
from community.moderation.selectors import is_hidden
from community.moderation.services import content_screen, ensure_may_contribute
from community.participation.kinds import EXCHANGE_COMPLETED
from community.participation.recorder import record_event
from community.selectors import primary_persona
from community.services import notifications_mark_read, notify
from community.text import clean_title, plain_text, sanitize_html
from realtime.events import publish

QUARTER = Decimal("0.25")
TITLE_MIN, TITLE_MAX = 5, 120
DESCRIPTION_MAX = 4000
MESSAGE_MAX = 4000
THANKS_MAX = 1000
MAX_EXPIRY_DAYS = 365
ADJUSTMENTS_ACCOUNT = "adjustments"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+?\d[\s().-]?){9,}")


# -- small helpers --------------------------------------------------------------------------


def parse_hours(value, *, field: str = "hours") -> Decimal:
    """Positive hours in quarter-hour steps, up to the per-exchange maximum."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter the hours as a number, like 1.5.")}) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({field: _("Enter a number of hours above zero.")})
    if hours % QUARTER:
        raise ValidationError({field: _("Use quarter hours: 0.25, 0.5, 0.75, 1, 1.25 and so on.")})
    maximum = settings.EXCHANGE["MAX_HOURS_PER_EXCHANGE"]
    if hours > maximum:
        raise ValidationError(
            {
                field: _("One exchange can be at most %(max)s hours.")
                % {"max": selectors.format_hours(maximum)}
            }
        )
    return hours.quantize(Decimal("0.01"))


def _require_active(user: User) -> None:
    """Signed in, active, and not suspended or banned by a moderator (platform-wide)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to use the exchange."))
    if not user.is_active:
        raise PermissionDenied(_("This account is closed."))
    ensure_may_contribute(user)


def _contains_contact_details(text: str) -> bool:
    plain = plain_text(text)
    return bool(_EMAIL.search(plain) or _PHONE.search(plain))


def _clean_behalf(on_behalf_of: str, organisation: Organisation | None, field: str) -> str:
    behalf = " ".join(plain_text(on_behalf_of or "").split())
    if behalf and organisation is None:
        raise ValidationError({field: _("Only an intermediary can post on someone else's behalf.")})
    if len(behalf) > 80:
        raise ValidationError({field: _("Keep this under 80 characters, e.g. “a neighbour”.")})
    if behalf and _contains_contact_details(behalf):
        raise ValidationError(
            {field: _("Do not put contact details here; a first name or “a neighbour” is enough.")}
        )
    return behalf


def _check_persona(user: User, persona: Persona, organisation: Organisation | None) -> None:
    if not permissions.can_post_as(user, persona):
        raise PermissionDenied(_("You can only act as one of your own personas."))
    if organisation is not None and not permissions.can_act_for(user, organisation):
        raise PermissionDenied(
            _("Only members of an intermediary organisation can act on its behalf.")
        )


def conversation_url(exchange: Exchange) -> str:
    return reverse("exchange:conversation", args=[exchange.pk])


def _notify_side(
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


def _publish_state(exchange: Exchange) -> None:
    publish(
        stream=conversation_stream(exchange.pk),
        type=EXCHANGE_UPDATED,
        object_id=exchange.pk,
        data=selectors.exchange_state(exchange),
    )


def _publish_message(message: Message) -> None:
    publish(
        stream=conversation_stream(message.exchange_id),
        type=MESSAGE_POSTED,
        object_id=message.pk,
        data=selectors.message_data(message),
    )


def _lock_exchange(exchange: Exchange) -> Exchange:
    """Re-read ``exchange`` under a row lock (serialises confirmations on PostgreSQL)."""
    Exchange.objects.select_for_update().filter(pk=exchange.pk).values_list("pk").get()
    return selectors.exchange_for_display(exchange.pk)


def _acting_persona(user: User, exchange: Exchange, side: str) -> Persona:
    """The persona shown for ``user`` writing for ``side``.

    The side's own persona if it is the user's; otherwise (a fellow member of the
    intermediary) the user's primary persona.
    """
    persona = selectors.side_persona(exchange, side)
    if persona.account_id == user.pk and not persona.is_anonymised:
        return persona
    own = primary_persona(user)
    if own is None:
        raise PermissionDenied(_("Create a persona before writing in the exchange."))
    return own


def _require_side(user: User, exchange: Exchange) -> str:
    side = permissions.side_of(user, exchange)
    if side is None:
        raise PermissionDenied(_("Only the people in this exchange can do that."))
    return side


def _other(side: str) -> str:
    return Side.RESPONDER if side == Side.OWNER else Side.OWNER


def _check_not_blocked(user: User, exchange: Exchange, side: str) -> None:
    other = selectors.side_persona(exchange, _other(side))
    state = selectors.is_blocked_between(user.pk, other.account_id)
    if state == "blocked_you":
        raise PermissionDenied(_("This person is not accepting messages from you."))
    if state == "blocked_by_you":
        raise PermissionDenied(_("You blocked this person. Unblock them to write to them again."))


def _event_message(exchange: Exchange, side: str, persona: Persona, user: User, text: str) -> None:
    """A line in the conversation recording a step (proposal, agreement, completion)."""
    message = Message.objects.create(
        exchange=exchange,
        side=side,
        author=persona,
        author_user=user,
        kind=Message.Kind.EVENT,
        body=sanitize_html(text),
    )
    _publish_message(message)


# -- offers and requests ---------------------------------------------------------------------


def post_create(
    *,
    user: User,
    persona: Persona,
    kind: str,
    title: str,
    description: str,
    category: str,
    area: str,
    mode: str,
    availability: str = "",
    expires_on: datetime.date | None = None,
    organisation: Organisation | None = None,
    on_behalf_of: str = "",
) -> Post:
    """Publish an offer or request as ``persona`` (optionally for an intermediary).

    Public text may not carry phone numbers or email addresses: people share those in a
    conversation, when they choose to. The post then goes through moderation screening:
    ``post.screening.held`` says it waits for a moderator (``post.screening.message`` why)
    and is not listed until approved.
    """
    _require_active(user)
    _check_persona(user, persona, organisation)
    errors: dict[str, str] = {}
    if kind not in Post.Kind.values:
        errors["kind"] = _("Choose whether you are offering or asking for help.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if area not in dict(area_choices()):
        errors["area"] = _("Choose an area from the list.")
    if mode not in Mode.values:
        errors["mode"] = _("Say whether this is in person or remote.")
    if errors:
        raise ValidationError(errors)
    title = clean_title(title, min_length=TITLE_MIN, max_length=TITLE_MAX)
    body = sanitize_html(description)
    if not plain_text(body):
        raise ValidationError({"description": _("Describe what you offer or need.")})
    if len(description or "") > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Keep the description under 4000 characters.")})
    availability = " ".join(plain_text(availability).split())
    if len(availability) > 200:
        raise ValidationError({"availability": _("Keep availability under 200 characters.")})
    for field, text in (("title", title), ("description", body), ("availability", availability)):
        if _contains_contact_details(text):
            raise ValidationError(
                {
                    field: _(
                        "Please do not put phone numbers or email addresses in a public post. "
                        "You can share them in the conversation once someone responds."
                    )
                }
            )
    behalf = _clean_behalf(on_behalf_of, organisation, "on_behalf_of")
    today = timezone.localdate()
    if expires_on is None:
        expires_on = today + datetime.timedelta(days=settings.EXCHANGE["POST_LIFETIME_DAYS"])
    if expires_on < today:
        raise ValidationError({"expires_on": _("Choose a date from today onwards.")})
    if expires_on > today + datetime.timedelta(days=MAX_EXPIRY_DAYS):
        raise ValidationError({"expires_on": _("Choose a date within the next year.")})
    with transaction.atomic():
        post = Post.objects.create(
            kind=kind,
            title=title,
            description=body,
            category=category,
            area=area,
            availability=availability,
            mode=mode,
            persona=persona,
            organisation=organisation,
            on_behalf_of=behalf,
            created_by=user,
            expires_on=expires_on,
        )
        post.screening = content_screen(
            user=user, obj=post, text="\n".join([title, body, availability])
        )
    return post


def post_close(*, user: User, post: Post) -> Post:
    """Take a post off the list (it stays readable to the people already talking about it)."""
    if not permissions.owns_post(user, post):
        raise PermissionDenied(_("Only the person who posted this can close it."))
    if post.closed_at is not None:
        raise ValidationError(_("This post is already closed."))
    with transaction.atomic():
        post.closed_at = timezone.now()
        post.save(update_fields=["closed_at", "updated_at"])
    return post


# -- safety ----------------------------------------------------------------------------------


def safety_acknowledge(*, user: User) -> SafetyAcknowledgement:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to use the exchange."))
    ack, _created = SafetyAcknowledgement.objects.get_or_create(user=user)
    return ack


# -- the exchange flow -----------------------------------------------------------------------


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
    _require_active(user)
    _check_persona(user, persona, organisation)
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
    behalf = _clean_behalf(on_behalf_of, organisation, "on_behalf_of")
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
            _notify_side(
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
    _require_active(user)
    side = _require_side(user, exchange)
    _require_writable(exchange)
    _check_not_blocked(user, exchange, side)
    clean = _clean_message(body)
    persona = _acting_persona(user, exchange, side)
    with transaction.atomic():
        message = Message.objects.create(
            exchange=exchange, side=side, author=persona, author_user=user, body=clean
        )
        message.screening = content_screen(user=user, obj=message, text=plain_text(clean))
        if message.screening.held:
            return message  # nobody sees it, and nobody is told, until a moderator approves
        Exchange.objects.filter(pk=exchange.pk).update(updated_at=timezone.now())
        _publish_message(message)
        _notify_side(
            exchange,
            _other(side),
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
    _require_active(user)
    side = _require_side(user, exchange)
    _require_writable(exchange)
    _check_not_blocked(user, exchange, side)
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
    persona = _acting_persona(user, exchange, side)
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
        _publish_message(message)
        _notify_side(
            exchange,
            _other(side),
            title=_("%(name)s shared contact details") % {"name": persona.public_name},
            actor=user,
            once_until_read=True,
        )
    return message


def exchange_propose(*, user: User, exchange: Exchange, hours) -> Exchange:
    """Propose how many hours the exchange is worth; the other side then accepts."""
    _require_active(user)
    side = _require_side(user, exchange)
    _check_not_blocked(user, exchange, side)
    hours = parse_hours(hours)
    persona = _acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = _lock_exchange(exchange)
        if exchange.status != Exchange.Status.OPEN:
            raise ValidationError(
                _("Hours can only be proposed before they are agreed. Cancel and start again.")
            )
        exchange.proposed_hours = hours
        exchange.proposed_by = side
        exchange.save(update_fields=["proposed_hours", "proposed_by", "updated_at"])
        _event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s proposed %(hours)s hours.")
            % {"name": persona.public_name, "hours": selectors.format_hours(hours)},
        )
        _publish_state(exchange)
        _notify_side(
            exchange,
            _other(side),
            title=_("%(name)s proposed %(hours)s hours")
            % {"name": persona.public_name, "hours": selectors.format_hours(hours)},
            actor=user,
        )
    return exchange


def exchange_accept(*, user: User, exchange: Exchange) -> Exchange:
    """Accept the other side's proposal: the exchange is agreed at those hours."""
    _require_active(user)
    side = _require_side(user, exchange)
    _check_not_blocked(user, exchange, side)
    persona = _acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = _lock_exchange(exchange)
        if exchange.status != Exchange.Status.OPEN:
            raise ValidationError(_("This exchange is already agreed or finished."))
        if exchange.proposed_hours is None:
            raise ValidationError(_("Nobody has proposed hours yet."))
        if exchange.proposed_by == side:
            raise ValidationError(_("The other person needs to accept your proposal."))
        exchange.hours = exchange.proposed_hours
        exchange.status = Exchange.Status.AGREED
        exchange.agreed_at = timezone.now()
        exchange.save(update_fields=["hours", "status", "agreed_at", "updated_at"])
        _event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s agreed to %(hours)s hours.")
            % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)},
        )
        _publish_state(exchange)
        _notify_side(
            exchange,
            _other(side),
            title=_("%(name)s agreed to %(hours)s hours")
            % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)},
            actor=user,
        )
    return exchange


def _resolve_confirm_requests(exchange: Exchange, side: str) -> None:
    """The side that confirms last was asked to ("… please confirm"): once the exchange is
    complete, that request and this conversation's other unread notices for the side are
    answered, so they are marked read (they stayed unread, asking for a done thing)."""
    url = conversation_url(exchange)
    for account in selectors.side_users(exchange, side):
        ids = list(
            Notification.objects.filter(
                recipient=account, url=url, category="exchange", read_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if ids:
            notifications_mark_read(user=account, notification_ids=ids)


def exchange_confirm_done(*, user: User, exchange: Exchange) -> Exchange:
    """Mark the agreed exchange done for the user's side; when both sides have, credits move.

    Safe against both sides confirming at the same moment: the exchange row is locked, and
    the transfer is unique per exchange, so credits move exactly once. If the payer's balance
    would fall below the lower limit, nothing changes and the message says so.
    """
    _require_active(user)
    side = _require_side(user, exchange)
    persona = _acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = _lock_exchange(exchange)
        if exchange.status == Exchange.Status.COMPLETED:
            raise ValidationError(_("This exchange is already complete."))
        if exchange.status != Exchange.Status.AGREED:
            raise ValidationError(_("Agree the hours before marking the exchange done."))
        field = "owner_confirmed_at" if side == Side.OWNER else "responder_confirmed_at"
        if getattr(exchange, field) is not None:
            raise ValidationError(_("You have already confirmed; waiting for the other person."))
        now = timezone.now()
        setattr(exchange, field, now)
        update = [field, "updated_at"]
        both = exchange.owner_confirmed_at is not None and exchange.responder_confirmed_at
        if both:
            payer, earner = _exchange_accounts(exchange)
            try:
                credits_transfer(
                    source=payer,
                    destination=earner,
                    hours=exchange.hours,
                    kind=Transfer.Kind.EXCHANGE,
                    memo=exchange.post.title[:200],
                    exchange=exchange,
                    created_by=user,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _(
                        "The exchange cannot be completed yet: %(problem)s The person who "
                        "received help needs more credits first (or agree fewer hours); "
                        "an intermediary can help."
                    )
                    % {"problem": " ".join(exc.messages)}
                ) from None
            exchange.status = Exchange.Status.COMPLETED
            exchange.completed_at = now
            update += ["status", "completed_at"]
            record_event(kind=EXCHANGE_COMPLETED, user=user, object_id=exchange.pk)
            _resolve_confirm_requests(exchange, side)
        exchange.save(update_fields=update)
        text = (
            _("%(name)s confirmed it is done. %(hours)s hours of credit moved.")
            if both
            else _("%(name)s confirmed it is done.")
        ) % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)}
        _event_message(exchange, side, persona, user, text)
        _publish_state(exchange)
        _notify_side(
            exchange,
            _other(side),
            title=(
                _("Exchange complete: %(hours)s hours moved")
                if both
                else _("%(name)s marked the exchange done — please confirm")
            )
            % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)},
            actor=user,
        )
    return exchange


def exchange_cancel(*, user: User, exchange: Exchange) -> Exchange:
    """Either side may call the exchange off before it is complete."""
    _require_active(user)
    side = _require_side(user, exchange)
    persona = _acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = _lock_exchange(exchange)
        if exchange.status == Exchange.Status.COMPLETED:
            raise ValidationError(_("A completed exchange cannot be cancelled."))
        if exchange.status == Exchange.Status.CANCELLED:
            raise ValidationError(_("This exchange is already cancelled."))
        exchange.status = Exchange.Status.CANCELLED
        exchange.cancelled_at = timezone.now()
        exchange.cancelled_by = side
        exchange.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
        _event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s cancelled this exchange.") % {"name": persona.public_name},
        )
        _publish_state(exchange)
        _notify_side(
            exchange,
            _other(side),
            title=_("%(name)s cancelled the exchange") % {"name": persona.public_name},
            actor=user,
        )
    return exchange


def thanks_give(*, user: User, exchange: Exchange, body: str) -> ThankYou:
    """A thank-you note after a completed exchange, once per side."""
    _require_active(user)
    side = _require_side(user, exchange)
    exchange = selectors.exchange_for_display(exchange.pk)  # the caller's copy may be stale
    if exchange.status != Exchange.Status.COMPLETED:
        raise ValidationError(_("You can say thank you once the exchange is complete."))
    text = " ".join(plain_text(body or "").split())
    if not text:
        raise ValidationError({"body": _("Write a few words of thanks.")})
    if len(text) > THANKS_MAX:
        raise ValidationError({"body": _("Keep the note under 1000 characters.")})
    persona = _acting_persona(user, exchange, side)
    try:
        with transaction.atomic():
            thanks = ThankYou.objects.create(
                exchange=exchange, side=side, author=persona, body=text
            )
            _publish_state(exchange)
            _notify_side(
                exchange,
                _other(side),
                title=_("%(name)s said thank you") % {"name": persona.public_name},
                body=text[:300],
                actor=user,
            )
    except IntegrityError:
        raise ValidationError(_("You have already said thank you for this exchange.")) from None
    return thanks


# -- blocking (reports and moderation: community.moderation) ---------------------------


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


# -- ledger ----------------------------------------------------------------------------------


def account_for_user(user: User) -> Account:
    account, _created = Account.objects.get_or_create(
        user=user, defaults={"kind": Account.Kind.PERSON}
    )
    return account


def account_for_organisation(organisation: Organisation) -> Account:
    if organisation.kind != Organisation.Kind.INTERMEDIARY:
        raise ValidationError(_("Only intermediary organisations hold time credits."))
    account, _created = Account.objects.get_or_create(
        organisation=organisation, defaults={"kind": Account.Kind.ORGANISATION}
    )
    return account


def system_account(key: str = ADJUSTMENTS_ACCOUNT) -> Account:
    account, _created = Account.objects.get_or_create(
        system_key=key, defaults={"kind": Account.Kind.SYSTEM}
    )
    return account


def _side_account(exchange: Exchange, side: str) -> Account:
    organisation = selectors.side_organisation(exchange, side)
    if organisation is not None:
        return account_for_organisation(organisation)
    persona = selectors.side_persona(exchange, side)
    if persona.account is None:
        raise ValidationError(_("The other person has left the platform; credits cannot move."))
    return account_for_user(persona.account)


def _exchange_accounts(exchange: Exchange) -> tuple[Account, Account]:
    """(payer, earner): whoever received help pays the helper."""
    earner_side = exchange.provider_side
    return _side_account(exchange, _other(earner_side)), _side_account(exchange, earner_side)


def credits_transfer(
    *,
    source: Account,
    destination: Account,
    hours: Decimal,
    kind: str,
    memo: str,
    exchange: Exchange | None = None,
    created_by: User | None = None,
    reason: str = "",
) -> Transfer:
    """Move ``hours`` from ``source`` to ``destination``: the one place the books change.

    Locks both accounts (ascending id), checks the source stays at or above the lower limit
    (system accounts have none), writes a transfer with two movements summing to zero and
    updates the cached balances. Raises ValidationError (and changes nothing) if the limit
    would be broken or the exchange has already moved credits.
    """
    if hours <= 0 or hours % QUARTER:
        raise ValidationError(_("Transfers are positive quarter hours."))
    if source.pk == destination.pk:
        raise ValidationError(_("Credits cannot move from an account to itself."))
    limit: Decimal = settings.EXCHANGE["LOWER_LIMIT"]
    try:
        with transaction.atomic():
            locked = {
                a.pk: a
                for a in Account.objects.select_for_update()
                .filter(pk__in=[source.pk, destination.pk])
                .order_by("pk")
            }
            src = locked[source.pk]
            if src.kind != Account.Kind.SYSTEM and src.balance - hours < limit:
                raise ValidationError(
                    _(
                        "This would take the balance to %(after)s hours, below the lower "
                        "limit of %(limit)s hours."
                    )
                    % {
                        "after": selectors.format_hours(src.balance - hours),
                        "limit": selectors.format_hours(limit),
                    }
                )
            transfer = Transfer.objects.create(
                kind=kind, memo=memo, exchange=exchange, created_by=created_by, reason=reason
            )
            Movement.objects.bulk_create(
                [
                    Movement(transfer=transfer, account=src, amount=-hours),
                    Movement(transfer=transfer, account=locked[destination.pk], amount=hours),
                ]
            )
            Account.objects.filter(pk=src.pk).update(balance=F("balance") - hours)
            Account.objects.filter(pk=destination.pk).update(balance=F("balance") + hours)
    except IntegrityError:
        raise ValidationError(_("Credits for this exchange have already moved.")) from None
    return transfer


def credits_adjust(*, actor: User, account: Account, hours, reason: str) -> Transfer:
    """Staff correction of a balance, against the system adjustments account, with a reason.

    Positive ``hours`` credit the account, negative debit it (never below the lower limit).
    The transfer records who made it and why; it is never edited afterwards.
    """
    if not permissions.can_adjust_credits(actor):
        raise PermissionDenied(_("Only staff with ledger access can adjust balances."))
    reason = plain_text(reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Explain the adjustment (at least 10 characters).")})
    try:
        amount = Decimal(str(hours).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Enter the hours as a number, like -1.5.")}) from None
    if not amount.is_finite() or amount == 0:
        raise ValidationError({"hours": _("Enter a number of hours other than zero.")})
    magnitude = abs(amount)
    if magnitude % QUARTER or magnitude > 1000:
        raise ValidationError(
            {"hours": _("Adjust in quarter hours, at most 1000 hours at a time.")}
        )
    if account.kind == Account.Kind.SYSTEM:
        raise ValidationError(_("System accounts cannot be adjusted directly."))
    system = system_account()
    source, destination = (system, account) if amount > 0 else (account, system)
    return credits_transfer(
        source=source,
        destination=destination,
        hours=magnitude,
        kind=Transfer.Kind.ADJUSTMENT,
        memo=_("Adjustment by staff"),
        created_by=actor,
        reason=reason,
    )


def request_create_assisted(
    *,
    helper: User,
    organisation: Organisation,
    citizen: User,
    consent_given: bool,
    consent_method: str,
    title: str,
    description: str,
    category: str,
    area: str,
    mode: str,
) -> Post:
    """Ask for help in the exchange for ``citizen`` (their primary persona), with consent.

    Refused, with nothing written, without consent or when the helper may not assist for
    ``organisation``. The request is the citizen's; the assistance record shows who helped.
    """
    from community import services as community_services
    from community.permissions import can_assist
    from community.selectors import primary_persona

    if not can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
        )
    community_services.assisted_consent_check(
        consent_given=consent_given, consent_method=consent_method
    )
    persona = primary_persona(citizen)
    if persona is None:
        raise ValidationError(
            _("The citizen has no public name yet. Help them choose one on their account page.")
        )
    with transaction.atomic():
        post = post_create(
            user=citizen,
            persona=persona,
            kind=Post.Kind.REQUEST,
            title=title,
            description=description,
            category=category,
            area=area,
            mode=mode,
        )
        community_services.assisted_record(
            helper=helper,
            organisation=organisation,
            citizen=citizen,
            persona=persona,
            action="exchange_request",
            consent_method=consent_method,
            target=post,
        )
    return post
