"""The time-credit ledger: accounts, and the one place the books change (:func:`credits_transfer`).

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

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from community.exchange import permissions, selectors
from community.exchange.models import Account, Exchange, Movement, Transfer
from community.models import Organisation, User
from community.text import plain_text

QUARTER = Decimal("0.25")
ADJUSTMENTS_ACCOUNT = "adjustments"


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


def credits_adjust(
    *, actor: User, account: Account, hours: str | Decimal | int, reason: str
) -> Transfer:
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
