"""Ledger invariants: two movements summing to zero, derived balances, the lower limit,
adjustments with a reason, the integrity check, and concurrency on PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.models import Sum
from django.test import override_settings

from community.exchange import actions
from community.exchange.models import Account, Exchange, Movement, Transfer
from community.exchange.tests.conftest import (
    agreed_exchange,
    ledger_restored_afterwards,
    make_post,
)
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMITS = {
    "LOWER_LIMIT": Decimal("-10"),
    "MAX_HOURS_PER_EXCHANGE": Decimal("24"),
    "POST_LIFETIME_DAYS": 60,
    "PAGE_SIZE": 20,
    "AREAS": [("riverside", "Riverside"), ("old-town", "Old Town")],
}


def transfer(source, destination, hours):
    return actions.credits_transfer(
        source=source,
        destination=destination,
        hours=Decimal(hours),
        kind=Transfer.Kind.ADJUSTMENT,
        memo="test",
        reason="test transfer",
    )


def assert_books_balance():
    assert (Movement.objects.aggregate(t=Sum("amount"))["t"] or 0) == 0
    for account in Account.objects.all():
        derived = account.movements.aggregate(t=Sum("amount"))["t"] or 0
        assert account.balance == derived


def test_every_transfer_is_two_movements_summing_to_zero():
    a = actions.account_for_user(UserFactory())
    b = actions.account_for_user(UserFactory())
    t = transfer(a, b, "2.25")
    amounts = sorted(t.movements.values_list("amount", flat=True))
    assert amounts == [Decimal("-2.25"), Decimal("2.25")]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.balance, b.balance) == (Decimal("-2.25"), Decimal("2.25"))
    assert_books_balance()


def test_a_transfer_that_would_break_the_lower_limit_is_refused_and_changes_nothing():
    a = actions.account_for_user(UserFactory())
    b = actions.account_for_user(UserFactory())
    transfer(a, b, "9.75")
    with pytest.raises(ValidationError, match="below the lower limit of -10 hours"):
        transfer(a, b, "0.5")
    a.refresh_from_db()
    assert a.balance == Decimal("-9.75")
    assert Transfer.objects.count() == 1
    transfer(a, b, "0.25")  # exactly at the limit is allowed
    a.refresh_from_db()
    assert a.balance == Decimal("-10")
    assert_books_balance()


def test_the_lower_limit_is_configurable():
    a = actions.account_for_user(UserFactory())
    b = actions.account_for_user(UserFactory())
    with (
        override_settings(EXCHANGE={**LIMITS, "LOWER_LIMIT": Decimal("-1")}),
        pytest.raises(ValidationError, match="-1 hours"),
    ):
        transfer(a, b, "1.5")


def test_completing_an_exchange_beyond_the_payers_limit_is_refused_clearly(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe, hours="3")
    actions.credits_adjust(
        actor=UserFactory(is_superuser=True),
        account=actions.account_for_user(joe.account),
        hours="-8",
        reason="Correction for a duplicate test record",
    )
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    with pytest.raises(ValidationError, match="cannot be completed yet"):
        actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.AGREED
    assert exchange.responder_confirmed_at is None
    assert not Transfer.objects.filter(exchange=exchange).exists()
    assert_books_balance()


def test_an_intermediary_acting_for_someone_earns_into_its_own_account(li, riverside, joe):
    post = actions.post_create(
        user=li.account,
        persona=li,
        organisation=riverside,
        on_behalf_of="Mrs K., a Riverside neighbour",
        kind="request",
        title="Lift to the Riverside clinic on Tuesday",
        description="Mrs K. needs a lift and a hand getting to reception.",
        category="lifts",
        area="riverside",
        mode="in_person",
    )
    assert post.created_by == li.account
    exchange = agreed_exchange(post, joe, hours="2")
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=li.account, exchange=exchange)
    org_account = Account.objects.get(organisation=riverside)
    assert org_account.balance == Decimal("-2")
    assert Account.objects.get(user=joe.account).balance == Decimal("2")
    assert not Account.objects.filter(user=li.account).exists()  # Li's own credits untouched


def test_only_intermediaries_hold_organisation_accounts():
    agency = OrganisationFactory(slug="transport", name="Transport")
    with pytest.raises(ValidationError):
        actions.account_for_organisation(agency)


def test_admin_adjustment_needs_staff_and_a_reason_and_is_recorded():
    citizen = UserFactory()
    account = actions.account_for_user(citizen)
    with pytest.raises(PermissionDenied):
        actions.credits_adjust(actor=citizen, account=account, hours="5", reason="Free hours!!")
    admin = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError, match="Explain"):
        actions.credits_adjust(actor=admin, account=account, hours="5", reason="")
    with pytest.raises(ValidationError, match="quarter hours"):
        actions.credits_adjust(actor=admin, account=account, hours="0.1", reason="Welcome bonus")
    t = actions.credits_adjust(
        actor=admin, account=account, hours="5", reason="Welcome hours for the pilot"
    )
    assert t.kind == Transfer.Kind.ADJUSTMENT
    assert t.created_by == admin
    assert t.reason == "Welcome hours for the pilot"
    account.refresh_from_db()
    assert account.balance == 5
    actions.credits_adjust(actor=admin, account=account, hours="-1.5", reason="Recorded twice")
    account.refresh_from_db()
    assert account.balance == Decimal("3.5")
    assert_books_balance()


def test_ledger_check_passes_on_balanced_books(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    out = StringIO()
    call_command("ledger_check", stdout=out)
    assert "Ledger balances: 1 transfers" in out.getvalue()


def test_ledger_check_detects_a_corrupted_movement(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    movement = Movement.objects.filter(amount__gt=0).get()
    with ledger_restored_afterwards():
        Movement.objects.filter(pk=movement.pk).update(amount=Decimal("5"))
        err = StringIO()
        with pytest.raises(CommandError) as exc:
            call_command("ledger_check", stderr=err)
        assert exc.value.returncode == 1
        report = err.getvalue()
        assert f"transfer {movement.transfer_id}" in report
        assert "all movements sum to 3.00" in report
        assert "cached balance 2.00 but movements sum to 5.00" in report
        assert f"exchange {exchange.pk}: completed for 2.00 hours but moved 5.00" in report


def test_ledger_check_detects_a_tampered_cached_balance():
    a = actions.account_for_user(UserFactory())
    b = actions.account_for_user(UserFactory())
    transfer(a, b, "1")
    Account.objects.filter(pk=a.pk).update(balance=Decimal("4"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ledger_check", stderr=err)
    assert f"account {a.pk}" in err.getvalue()


# -- concurrency (PostgreSQL only: SQLite has no row locks) ---------------------------------


def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row-locking concurrency needs PostgreSQL (set DATABASE_URL)")


def _run_in_threads(count, work):
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_transfers_from_one_account_cannot_overdraw_it():
    _require_postgres()
    payer = actions.account_for_user(UserFactory())
    earners = [actions.account_for_user(UserFactory()) for _ in range(8)]
    # each of 16 transfers is 1.5 hours; the limit allows 6 (9 hours), not 7 (10.5)
    results = _run_in_threads(16, lambda i: transfer(payer, earners[i % 8], "1.5"))
    done = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(done) == 6, results
    assert len(refused) == 10, results
    payer.refresh_from_db()
    assert payer.balance == Decimal("-9")
    assert_books_balance()
    call_command("ledger_check", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_transfers_crossing_between_two_accounts_do_not_deadlock():
    _require_postgres()
    a = actions.account_for_user(UserFactory())
    b = actions.account_for_user(UserFactory())
    results = _run_in_threads(
        12, lambda i: transfer(a, b, "0.25") if i % 2 else transfer(b, a, "0.5")
    )
    assert all(isinstance(r, Transfer) for r in results), results
    a.refresh_from_db()
    assert a.balance == Decimal("6") * Decimal("0.5") - Decimal("6") * Decimal("0.25")
    assert_books_balance()


@pytest.mark.django_db(transaction=True)
def test_both_sides_confirming_at_once_moves_credits_exactly_once():
    _require_postgres()
    for round_ in range(3):
        owner = PersonaFactory()
        responder = PersonaFactory()
        actions.safety_acknowledge(user=responder.account)
        exchange = agreed_exchange(make_post(owner, title=f"Round {round_} help"), responder)
        users = [owner.account, responder.account]
        results = _run_in_threads(
            2,
            lambda i, ex=exchange, us=users: actions.exchange_confirm_done(user=us[i], exchange=ex),
        )
        assert all(isinstance(r, Exchange) for r in results), results
        exchange.refresh_from_db()
        assert exchange.status == Exchange.Status.COMPLETED
        assert Transfer.objects.filter(exchange=exchange).count() == 1
        assert Account.objects.get(user=owner.account).balance == Decimal("2")
    assert_books_balance()


@pytest.mark.django_db(transaction=True)
def test_the_same_side_confirming_twice_at_once_is_recorded_once():
    _require_postgres()
    owner = PersonaFactory()
    responder = PersonaFactory()
    actions.safety_acknowledge(user=responder.account)
    exchange = agreed_exchange(make_post(owner), responder)
    results = _run_in_threads(
        4, lambda i: actions.exchange_confirm_done(user=responder.account, exchange=exchange)
    )
    assert sum(isinstance(r, Exchange) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 3
    assert not Transfer.objects.exists()
