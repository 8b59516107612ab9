"""A crowd opening one co-design session: watchers and participants share one snapshot
build; each participant's ``you`` is their own; while notes are concealed, participants and
facilitators build their own snapshots and no concealed text is ever in the shared one."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async as db
from django.contrib.auth.models import AnonymousUser

from ideas.codesign import actions, selectors
from ideas.codesign.consumers import SessionConsumer
from ideas.codesign.events import participant_stream
from ideas.codesign.models import Phase
from ideas.codesign.tests.factories import SessionFactory, designer, person
from ideas.codesign.tests.live import LiveClient
from realtime import recovery

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Only Alice and the facilitators may read this"


@pytest.fixture
def builds(monkeypatch):
    """Every snapshot build: ("shared", None) or ("own", participant id or None)."""
    made: list = []
    shared, own = SessionConsumer.build_shared_snapshot, SessionConsumer.build_snapshot

    def counted_shared(consumer):
        made.append(("shared", None))
        return shared(consumer)

    def counted_own(consumer):
        made.append(("own", consumer.participant_id))
        return own(consumer)

    monkeypatch.setattr(SessionConsumer, "build_shared_snapshot", counted_shared)
    monkeypatch.setattr(SessionConsumer, "build_snapshot", counted_own)
    monkeypatch.setattr(recovery, "SHARED_FOR", 60.0)
    return made


@db
def _world(**session_kwargs):
    from community.tests.factories import OrganisationFactory

    agency = OrganisationFactory(name="Northvale Transport")
    facilitator, _ = designer(agency, display_name="Dana the designer")
    alice, a_persona = person(display_name="Alice A.")
    bob, b_persona = person(display_name="Bob B.")
    session = SessionFactory(agency=agency, phase=Phase.DIVERGE, **session_kwargs)
    a = actions.participant_join(user=alice, session=session, persona=a_persona)
    b = actions.participant_join(user=bob, session=session, persona=b_persona)
    actions.note_add(participant=a, session=session, prompt=session.prompts.first().pk, text=SECRET)
    return session, facilitator, (alice, a), (bob, b)


async def _open(clients):
    await asyncio.gather(*(c.connect() for c in clients))
    return [c.snapshot for c in clients]


async def test_watchers_and_participants_share_one_build_each_with_their_own_you(builds):
    session, facilitator, (alice_user, alice), (bob_user, bob) = await _world()
    people = [LiveClient(session.pk, alice_user), LiveClient(session.pk, bob_user)]
    for client in people:  # each arrival is an event: the next socket needs a newer frame
        await client.connect()
    assert builds == [("shared", None), ("shared", None)]
    builds.clear()
    watchers = [LiveClient(session.pk, AnonymousUser()) for _ in range(6)]
    second_tab = LiveClient(session.pk, alice_user)  # already here: no arrival event
    fac = LiveClient(session.pk, facilitator)
    try:
        frames = await _open([*watchers, second_tab])
        await fac.connect()
        # Nothing happened since Bob's socket got its frame: the crowd takes that one; only
        # the facilitator (who sees everything) builds their own.
        assert builds == [("own", None)]
        watcher_you = frames[0]["data"]["you"]
        assert watcher_you["participant"] is None and not watcher_you["facilitator"]
        assert second_tab.snapshot["data"]["you"]["participant"] == alice.pk
        assert second_tab.snapshot["data"]["you"]["name"] == "Alice A."
        assert people[1].snapshot["data"]["you"]["participant"] == bob.pk
        assert second_tab.snapshot["streams"] == {participant_stream(session.pk, alice.pk): 0}
        assert "streams" not in frames[0]
        assert fac.snapshot["data"]["you"]["facilitator"] is True
        # Nothing is concealed in this session: the notes are the same for all.
        notes = {str(f["data"]["notes"]) for f in [*frames, fac.snapshot]}
        assert len(notes) == 1 and SECRET in notes.pop()
    finally:
        for client in [*people, *watchers, second_tab, fac]:
            await client.disconnect()


async def test_concealed_notes_are_in_no_shared_frame_and_their_author_still_reads_theirs(
    builds,
):
    session, facilitator, (alice_user, alice), (bob_user, bob) = await _world(hide_notes=True)
    assert (await db(selectors.session_detail)(session.pk)).notes_hidden
    author, other = LiveClient(session.pk, alice_user), LiveClient(session.pk, bob_user)
    fac = LiveClient(session.pk, facilitator)
    watchers = [LiveClient(session.pk, AnonymousUser()) for _ in range(4)]
    try:
        for client in (author, other):
            await client.connect()
        frames = await _open([*watchers, fac])
        own = sorted((b[1] or 0) for b in builds if b[0] == "own")
        assert own == sorted([alice.pk, bob.pk, 0])  # both participants, the facilitator
        assert builds.count(("shared", None)) == 1  # the watchers'
        for frame in frames[:4]:
            assert SECRET not in str(frame)
        assert SECRET not in str(other.snapshot)
        assert SECRET in str(author.snapshot) and SECRET in str(fac.snapshot)
        here = recovery._shared[asyncio.get_running_loop()]
        cached = [e.text for key, e in here.items() if key[0] == "session"]
        assert cached and all(SECRET not in text for text in cached)
    finally:
        for client in [author, other, fac, *watchers]:
            await client.disconnect()
