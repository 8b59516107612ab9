"""Phase changes and votes stay exact under real concurrency (PostgreSQL row locks;
skipped on SQLite, which serialises every write anyway).

Each thread uses its own database connection and starts at the same barrier, so the calls
really race; connections are closed at the end of every thread.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction

from community.tests.concurrency import race, require_postgres
from community.tests.factories import OrganisationFactory
from ideas.codesign import actions
from ideas.codesign.models import (
    CodesignSession,
    Dot,
    Note,
    NoteGroup,
    Participant,
    Phase,
    PhaseChange,
)
from ideas.codesign.tests.factories import SessionFactory, designer, person

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitators_advancing_at_once_move_the_session_exactly_one_phase():
    require_postgres()
    agency = OrganisationFactory()
    facilitators = [designer(agency)[0] for _ in range(6)]
    session = SessionFactory(agency=agency)
    results = race(
        [
            lambda u=u: actions.phase_step(user=u, session=session, direction="next", version=1)
            for u in facilitators
        ]
    )
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(oks) == 1 and len(errors) == 5
    assert all(isinstance(e, ValidationError) and e.code == "stale" for e in errors)
    fresh = CodesignSession.objects.get(pk=session.pk)
    assert fresh.phase == Phase.BRIEF and fresh.version == 2
    assert PhaseChange.objects.filter(session=session).count() == 1


def test_parallel_votes_at_the_budget_limit_spend_exactly_the_budget():
    require_postgres()
    session = SessionFactory(phase=Phase.VOTE, vote_budget=3, group_cap=3)
    user, persona = person()
    voter = Participant.objects.create(session=session, account=user, persona=persona)
    groups = [NoteGroup.objects.create(session=session, name=f"G{i}") for i in range(4)]
    calls = [
        lambda g=g: actions.dot_cast(participant=voter, session=session, group_id=g.pk)
        for g in groups
        for _ in range(2)
    ]
    results = race(calls)
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(oks) == 3 and len(errors) == 5
    assert all(e.code == "over_budget" for e in errors)
    assert sorted(r["left"] for r in oks) == [0, 1, 2]
    assert Dot.objects.filter(participant=voter).count() == 3


def test_parallel_votes_on_one_group_stop_exactly_at_the_group_cap():
    require_postgres()
    session = SessionFactory(phase=Phase.VOTE, vote_budget=10, group_cap=2)
    user, persona = person()
    voter = Participant.objects.create(session=session, account=user, persona=persona)
    group = NoteGroup.objects.create(session=session, name="Info")
    results = race(
        [
            lambda: actions.dot_cast(participant=voter, session=session, group_id=group.pk)
            for _ in range(6)
        ]
    )
    assert [kind for kind, _ in results].count("ok") == 2
    assert Dot.objects.filter(group=group).count() == 2


def _with_lock_timeout(timeout: str, call):
    """Run ``call`` in a transaction that gives up waiting for a row lock after ``timeout``."""

    def run():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
            return call()

    return run


def test_notes_added_at_once_do_not_queue_behind_each_other_but_a_phase_change_waits():
    """Adding a note takes the session row FOR SHARE: another person's add goes ahead while
    the first is still open, and a phase change (FOR UPDATE) waits until the add is done."""
    require_postgres()
    agency = OrganisationFactory()
    facilitator, _ = designer(agency)
    session = SessionFactory(agency=agency, phase=Phase.DIVERGE)
    first, second = (
        Participant.objects.create(session=session, account=user, persona=persona)
        for user, persona in (person(), person())
    )
    holding, release = threading.Event(), threading.Event()

    def add_and_stay_open():
        try:
            with transaction.atomic():
                actions.note_add(participant=first, session=session, text="Shelters at stops")
                holding.set()
                release.wait(30)
        finally:
            holding.set()
            connections.close_all()

    open_add = threading.Thread(target=add_and_stay_open)
    open_add.start()
    try:
        assert holding.wait(30)
        [(kind, note)] = race(
            [
                _with_lock_timeout(
                    "10s",
                    lambda: actions.note_add(
                        participant=second, session=session, text="Real-time arrival boards"
                    ),
                )
            ]
        )
        assert kind == "ok", note
        [(kind, error)] = race(
            [
                _with_lock_timeout(
                    "300ms",
                    lambda: actions.phase_step(
                        user=facilitator, session=session, direction="next", version=1
                    ),
                )
            ]
        )
        assert kind == "error" and isinstance(error, OperationalError), error
        assert "lock timeout" in str(error)
    finally:
        release.set()
        open_add.join(30)
    assert CodesignSession.objects.get(pk=session.pk).phase == Phase.DIVERGE
    assert Note.objects.filter(session=session).count() == 2
    step = actions.phase_step(user=facilitator, session=session, direction="next", version=1)
    assert step.phase == Phase.CLUSTER
