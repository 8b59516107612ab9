"""``manage.py verify_integrity`` reports corrupted counters and books, and passes clean data."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from community import integrity
from community.exchange import actions as exchange_actions
from community.exchange.models import Account, Movement, Transfer
from community.exchange.tests.conftest import ledger_restored_afterwards
from community.tests.factories import UserFactory
from ideas import actions as idea_actions
from ideas.models import Idea
from ideas.tests.factories import IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _verify() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_integrity", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _failing() -> str:
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("verify_integrity", stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    return err.getvalue()


def _activity():
    idea = IdeaFactory()
    for _ in range(3):
        idea_actions.vote_cast(user=UserFactory(), idea=idea)
    user, persona = citizen()
    idea_actions.comment_create(user=user, idea=idea, persona=persona, body="Agreed")
    source = exchange_actions.account_for_user(UserFactory())
    destination = exchange_actions.account_for_user(UserFactory())
    exchange_actions.credits_transfer(
        source=source,
        destination=destination,
        hours=Decimal("2"),
        kind=Transfer.Kind.ADJUSTMENT,
        memo="test",
        reason="test transfer",
    )
    return idea, destination


def test_both_idea_counts_and_the_ledger_are_registered():
    assert {"idea counts", "ledger"} <= set(integrity.checks())


def test_clean_data_passes_every_check():
    _activity()
    out, err = _verify()
    assert "idea counts: ok" in out
    assert "ledger: ok" in out
    assert "All integrity checks passed." in out
    assert err == ""


def test_a_corrupted_support_count_is_reported_with_the_idea():
    idea, _ = _activity()
    Idea.objects.filter(pk=idea.pk).update(support_count=7)
    report = _failing()
    assert f"idea {idea.pk}: support count 7 but 3 vote rows" in report


def test_a_corrupted_comment_count_is_reported():
    idea, _ = _activity()
    Idea.objects.filter(pk=idea.pk).update(comment_count=0)
    assert f"idea {idea.pk}: comment count 0 but 1 comments" in _failing()


def test_a_cached_balance_that_disagrees_with_its_movements_is_reported():
    _, account = _activity()
    Account.objects.filter(pk=account.pk).update(balance=Decimal("9"))
    report = _failing()
    assert "ledger: 1 problem(s)" in report
    assert f"account {account.pk}" in report and "movements sum to 2.00" in report


def test_a_lost_movement_breaks_the_books_and_is_reported():
    _activity()
    with ledger_restored_afterwards():
        Movement.objects.filter(amount__lt=0).delete()
        report = _failing()
        assert "movements summing to" in report


def test_only_runs_the_named_check():
    idea, _ = _activity()
    Idea.objects.filter(pk=idea.pk).update(support_count=7)
    out = StringIO()
    call_command("verify_integrity", "--only", "ledger", stdout=out, stderr=StringIO())
    assert "ledger: ok" in out.getvalue()
    with pytest.raises(CommandError, match="unknown check"):
        call_command("verify_integrity", "--only", "nonsense")
