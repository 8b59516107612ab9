"""On PostgreSQL the database refuses to commit a transfer whose movements do not sum to zero
(migration 0003, a deferred constraint trigger checked at COMMIT)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from community.exchange import actions
from community.exchange.models import Account, Movement, Transfer
from community.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the check runs at a real COMMIT


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("database triggers are installed on PostgreSQL only (set DATABASE_URL)")


def _accounts():
    return actions.account_for_user(UserFactory()), actions.account_for_user(UserFactory())


def test_an_unbalanced_transfer_is_refused_at_commit():
    a, b = _accounts()
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        t = Transfer.objects.create(kind=Transfer.Kind.ADJUSTMENT, memo="m", reason="r")
        Movement.objects.create(transfer=t, account=a, amount=Decimal("-2"))
        Movement.objects.create(transfer=t, account=b, amount=Decimal("1"))
    assert not Movement.objects.exists() and not Transfer.objects.exists()


def test_legs_may_be_written_one_at_a_time_within_a_transaction():
    a, b = _accounts()
    with transaction.atomic():
        t = Transfer.objects.create(kind=Transfer.Kind.ADJUSTMENT, memo="m", reason="r")
        Movement.objects.create(transfer=t, account=a, amount=Decimal("-2"))
        Movement.objects.create(transfer=t, account=b, amount=Decimal("2"))
    assert Movement.objects.filter(transfer=t).count() == 2


def test_tampering_with_a_committed_movement_is_refused():
    a, b = _accounts()
    t = actions.credits_transfer(
        source=a,
        destination=b,
        hours=Decimal("1.5"),
        kind=Transfer.Kind.ADJUSTMENT,
        memo="test",
        reason="test transfer",
    )
    leg = t.movements.get(amount__gt=0)
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        Movement.objects.filter(pk=leg.pk).update(amount=Decimal("5"))
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        Movement.objects.filter(pk=leg.pk).delete()
    assert sorted(t.movements.values_list("amount", flat=True)) == [Decimal("-1.5"), Decimal("1.5")]


def test_the_services_still_move_credits():
    a, b = _accounts()
    actions.credits_transfer(
        source=a,
        destination=b,
        hours=Decimal("0.75"),
        kind=Transfer.Kind.ADJUSTMENT,
        memo="test",
        reason="test transfer",
    )
    assert Account.objects.get(pk=b.pk).balance == Decimal("0.75")
