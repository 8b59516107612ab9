"""One ballot per voter under real concurrency (PostgreSQL; skipped on SQLite, which
serialises every write anyway).

1,000 verified voters submit at once, and 200 of them submit a second time at the same moment
on another channel (text, counter, paper). Every thread has its own connection; all start at
one barrier and take submissions from one queue, in which a person's two submissions sit
next to each other, so they are picked up by two threads at the same moment and race."""

from __future__ import annotations

import queue
import random
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from community.models import User
from community.tests.concurrency import require_postgres
from ideas.budgeting import actions
from ideas.budgeting.models import Ballot, Channel, VerifiedBy, Voter
from ideas.budgeting.tests.factories import BudgetFactory, ProjectFactory, counter_staff

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 1000
DUPLICATES = 200
THREADS = 16  # under the connection pool of one process (DATABASE_POOL_SIZE, 20)


def _run_all(submissions: list[Any]) -> list[tuple[str, Any]]:
    work: queue.Queue[tuple[int, Any]] = queue.Queue()
    for item in enumerate(submissions):
        work.put(item)
    results: list[Any] = [None] * len(submissions)
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        try:
            barrier.wait(timeout=60)
            while True:
                try:
                    index, call = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = ("ok", call())
                except Exception as exc:
                    results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads)
    return results


def test_a_thousand_voters_and_two_hundred_duplicates_at_once_leave_one_ballot_each():
    require_postgres()
    budget = BudgetFactory(amount=100_000, max_choices=3)
    process = budget.process
    for cost in (10_000, 20_000, 30_000, 40_000, 50_000):
        ProjectFactory(budget=budget, cost=cost)
    users = User.objects.bulk_create(
        [User(username=f"pb-voter-{n}", email=f"pb-voter-{n}@example.org") for n in range(VOTERS)]
    )
    voters = Voter.objects.bulk_create(
        [
            Voter(process=process, key=f"doc:load{n:05d}", user=u, verified_by=VerifiedBy.COUNTER)
            for n, u in enumerate(users)
        ]
    )
    clerks = [counter_staff(process) for _ in range(2)]
    rng = random.Random(23)

    def choice() -> list[int]:
        return rng.sample(range(1, 6), rng.randint(1, 3))

    def web(v: Voter, c: list[int]) -> Any:
        return lambda: actions.ballot_cast(budget=budget, choices=c, user=v.user, channel="web")

    def again(v: Voter, channel: str, c: list[int]) -> Any:
        if channel == Channel.SMS:
            return lambda: actions.ballot_cast(budget=budget, choices=c, user=v.user, channel="sms")
        if channel == Channel.COUNTER:
            return lambda: actions.ballot_cast(
                budget=budget, choices=c, voter=v, staff=clerks[0], channel="counter"
            )
        return lambda: actions.paper_ballot_enter(
            staff=clerks[1], budget=budget, voter=v, choices=c
        )

    channels = [Channel.SMS] * 100 + [Channel.COUNTER] * 50 + [Channel.PAPER] * 50
    twice = dict(zip(rng.sample(range(VOTERS), DUPLICATES), channels, strict=True))
    units = []
    for n, voter in enumerate(voters):
        unit = [web(voter, choice())]
        if n in twice:
            unit.append(again(voter, twice[n], choice()))
            rng.shuffle(unit)
        units.append(unit)
    rng.shuffle(units)
    submissions = [call for unit in units for call in unit]
    assert len(submissions) == VOTERS + DUPLICATES

    results = _run_all(submissions)

    errors = [value for kind, value in results if kind == "error"]
    # Only paper entries for people who had already voted are refused; nothing else fails.
    assert all(isinstance(e, ValidationError) and "already voted" in str(e) for e in errors), {
        type(e).__name__: str(e) for e in errors
    }
    assert len(errors) <= 50
    assert sum(kind == "ok" for kind, _ in results) == len(submissions) - len(errors)
    ballots = Ballot.objects.filter(budget=budget)
    assert ballots.count() == VOTERS
    assert ballots.values("voter").distinct().count() == VOTERS
    # A paper entry that came first was replaced by the web ballot: every ballot counts.
    assert ballots.filter(is_counted=True).count() == VOTERS
    replaced = sum(b.version - 1 for b in ballots)
    assert replaced == len(submissions) - VOTERS - len(errors)
