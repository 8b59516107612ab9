"""``manage.py ledger_check``: prove the time-credit books balance; exit 1 on any problem.

Checks that every transfer has exactly two movements summing to zero, that all movements sum
to zero, that each account's cached balance equals the sum of its movements, that no person or
intermediary account is below the lower limit, and that every completed exchange moved exactly
its agreed hours. Read-only; safe to run on production (e.g. nightly from cron).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from community.exchange.models import Account, Exchange, Movement, Transfer

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=2))


def _h(value) -> Decimal:
    """Hours with two decimals, whatever the database's aggregate type."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def find_problems() -> list[str]:
    problems: list[str] = []
    bad_transfers = (
        Transfer.objects.annotate(
            n=Count("movements"), total=Coalesce(Sum("movements__amount"), ZERO)
        )
        .filter(~Q(n=2) | ~Q(total=0))
        .order_by("pk")
    )
    for t in bad_transfers:
        problems.append(
            f"transfer {t.pk}: {t.n} movements summing to {_h(t.total)} (expected 2 summing to 0)"
        )
    grand_total = Movement.objects.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if grand_total != 0:
        problems.append(f"all movements sum to {_h(grand_total)} (expected 0)")
    accounts = (
        Account.objects.annotate(derived=Coalesce(Sum("movements__amount"), ZERO))
        .exclude(balance=F("derived"))
        .order_by("pk")
    )
    for a in accounts:
        problems.append(
            f"account {a.pk} ({a}): cached balance {_h(a.balance)} but movements sum to {_h(a.derived)}"
        )
    limit = settings.EXCHANGE["LOWER_LIMIT"]
    below = (
        Account.objects.exclude(kind=Account.Kind.SYSTEM)
        .annotate(derived=Coalesce(Sum("movements__amount"), ZERO))
        .filter(derived__lt=limit)
        .order_by("pk")
    )
    for a in below:
        problems.append(
            f"account {a.pk} ({a}): balance {_h(a.derived)} is below the limit {_h(limit)}"
        )
    completed = Exchange.objects.filter(status=Exchange.Status.COMPLETED).annotate(
        moved=Sum("transfer__movements__amount", filter=Q(transfer__movements__amount__gt=0))
    )
    for ex in completed.exclude(moved=F("hours")).order_by("pk"):
        problems.append(
            f"exchange {ex.pk}: completed for {_h(ex.hours)} hours but moved {_h(ex.moved)}"
        )
    return problems


class Command(BaseCommand):
    help = "Verify the time-credit ledger balances. Exits with status 1 on any problem."

    def handle(self, *args, **options):
        problems = find_problems()
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"ledger check failed: {len(problems)} problem(s)", returncode=1)
        transfers = Transfer.objects.count()
        accounts = Account.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Ledger balances: {transfers} transfers, {accounts} accounts.")
        )
