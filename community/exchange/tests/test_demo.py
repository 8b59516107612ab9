"""The Northvale demo: two dozen posts, completed exchanges with thanks, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from community import demo as community_demo
from community.exchange import demo
from community.exchange.models import Account, Exchange, Message, Movement, Post, ThankYou

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Post, Exchange, Message, Movement, ThankYou, Account)]


def test_demo_seeds_a_balanced_exchange_and_running_twice_changes_nothing():
    context = community_demo.seed({})
    context.update(demo.seed(context))
    assert Post.objects.count() == 24
    assert Post.objects.filter(organisation__slug="riverside-neighbours").count() == 3
    completed = Exchange.objects.filter(status=Exchange.Status.COMPLETED)
    assert completed.count() == 4
    assert completed.filter(post__organisation__slug="riverside-neighbours").exists()
    assert ThankYou.objects.count() == 8
    riverside = Account.objects.get(organisation__slug="riverside-neighbours")
    assert riverside.balance == -1.5
    before = _counts()
    context.update(demo.seed(context))
    assert _counts() == before
    call_command("ledger_check", stdout=StringIO())
