"""Agreeing an exchange: proposing and accepting hours, confirming it done (credits move once
both sides have), cancelling, and thanks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.notifications import notifications_mark_read
from community.exchange import permissions, selectors
from community.exchange.actions.checks import (
    acting_persona,
    check_not_blocked,
    lock_exchange,
    other_side,
    require_side,
)
from community.exchange.actions.conversations import conversation_url, event_message, notify_side
from community.exchange.actions.ledger import (
    QUARTER,
    account_for_organisation,
    account_for_user,
    credits_transfer,
)
from community.exchange.events import publish_state
from community.exchange.models import Account, Exchange, Side, ThankYou, Transfer
from community.models import Notification, User
from community.participation.kinds import EXCHANGE_COMPLETED
from community.participation.recorder import record_event
from community.text import plain_text

THANKS_MAX = 1000


def parse_hours(value: str | Decimal | int, *, field: str = "hours") -> Decimal:
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


def exchange_propose(*, user: User, exchange: Exchange, hours: str | Decimal | int) -> Exchange:
    """Propose how many hours the exchange is worth; the other side then accepts."""
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    check_not_blocked(user, exchange, side)
    hours = parse_hours(hours)
    persona = acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = lock_exchange(exchange)
        if exchange.status != Exchange.Status.OPEN:
            raise ValidationError(
                _("Hours can only be proposed before they are agreed. Cancel and start again.")
            )
        exchange.proposed_hours = hours
        exchange.proposed_by = side
        exchange.save(update_fields=["proposed_hours", "proposed_by", "updated_at"])
        event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s proposed %(hours)s hours.")
            % {"name": persona.public_name, "hours": selectors.format_hours(hours)},
        )
        publish_state(exchange)
        notify_side(
            exchange,
            other_side(side),
            title=_("%(name)s proposed %(hours)s hours")
            % {"name": persona.public_name, "hours": selectors.format_hours(hours)},
            actor=user,
        )
    return exchange


def exchange_accept(*, user: User, exchange: Exchange) -> Exchange:
    """Accept the other side's proposal: the exchange is agreed at those hours."""
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    check_not_blocked(user, exchange, side)
    persona = acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = lock_exchange(exchange)
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
        event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s agreed to %(hours)s hours.")
            % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)},
        )
        publish_state(exchange)
        notify_side(
            exchange,
            other_side(side),
            title=_("%(name)s agreed to %(hours)s hours")
            % {"name": persona.public_name, "hours": selectors.format_hours(exchange.hours)},
            actor=user,
        )
    return exchange


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
    return _side_account(exchange, other_side(earner_side)), _side_account(exchange, earner_side)


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
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    persona = acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = lock_exchange(exchange)
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
        hours = exchange.hours
        assert hours is not None, "an agreed exchange has its hours"
        both = exchange.owner_confirmed_at is not None and exchange.responder_confirmed_at
        if both:
            payer, earner = _exchange_accounts(exchange)
            try:
                credits_transfer(
                    source=payer,
                    destination=earner,
                    hours=hours,
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
        ) % {"name": persona.public_name, "hours": selectors.format_hours(hours)}
        event_message(exchange, side, persona, user, text)
        publish_state(exchange)
        notify_side(
            exchange,
            other_side(side),
            title=(
                _("Exchange complete: %(hours)s hours moved")
                if both
                else _("%(name)s marked the exchange done — please confirm")
            )
            % {"name": persona.public_name, "hours": selectors.format_hours(hours)},
            actor=user,
        )
    return exchange


def exchange_cancel(*, user: User, exchange: Exchange) -> Exchange:
    """Either side may call the exchange off before it is complete."""
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    persona = acting_persona(user, exchange, side)
    with transaction.atomic():
        exchange = lock_exchange(exchange)
        if exchange.status == Exchange.Status.COMPLETED:
            raise ValidationError(_("A completed exchange cannot be cancelled."))
        if exchange.status == Exchange.Status.CANCELLED:
            raise ValidationError(_("This exchange is already cancelled."))
        exchange.status = Exchange.Status.CANCELLED
        exchange.cancelled_at = timezone.now()
        exchange.cancelled_by = side
        exchange.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
        event_message(
            exchange,
            side,
            persona,
            user,
            _("%(name)s cancelled this exchange.") % {"name": persona.public_name},
        )
        publish_state(exchange)
        notify_side(
            exchange,
            other_side(side),
            title=_("%(name)s cancelled the exchange") % {"name": persona.public_name},
            actor=user,
        )
    return exchange


def thanks_give(*, user: User, exchange: Exchange, body: str) -> ThankYou:
    """A thank-you note after a completed exchange, once per side."""
    permissions.ensure_may_post(user)
    side = require_side(user, exchange)
    exchange = selectors.exchange_for_display(exchange.pk)  # the caller's copy may be stale
    if exchange.status != Exchange.Status.COMPLETED:
        raise ValidationError(_("You can say thank you once the exchange is complete."))
    text = " ".join(plain_text(body or "").split())
    if not text:
        raise ValidationError({"body": _("Write a few words of thanks.")})
    if len(text) > THANKS_MAX:
        raise ValidationError({"body": _("Keep the note under 1000 characters.")})
    persona = acting_persona(user, exchange, side)
    try:
        with transaction.atomic():
            thanks = ThankYou.objects.create(
                exchange=exchange, side=side, author=persona, body=text
            )
            publish_state(exchange)
            notify_side(
                exchange,
                other_side(side),
                title=_("%(name)s said thank you") % {"name": persona.public_name},
                body=text[:300],
                actor=user,
            )
    except IntegrityError:
        raise ValidationError(_("You have already said thank you for this exchange.")) from None
    return thanks
