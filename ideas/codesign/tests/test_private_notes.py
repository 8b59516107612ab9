"""Concealed notes' text travels only on the private streams of those who may read it.

While a session hides notes until the reveal, the shared ``session:<id>`` stream (which every
process and every socket of the session receives) carries a placeholder; the text goes to the
author's and the facilitators' own streams. Checked at the channel layer itself, not only at
the sockets, so no branch of a consumer can leak it.
"""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async as db
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser

from ideas.codesign import actions
from ideas.codesign.events import facilitators_stream, participant_stream, session_stream
from ideas.codesign.models import Phase
from ideas.codesign.tests.factories import SessionFactory, designer, person
from ideas.codesign.tests.live import LiveClient
from realtime.groups import group_for

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Only Alice and the facilitators may read this"
EDITED = "Alice changed her hidden note"


@db
def _world():
    from community.tests.factories import OrganisationFactory

    agency = OrganisationFactory(name="Northvale Transport")
    facilitator, _ = designer(agency, display_name="Dana the designer")
    alice, a_persona = person(display_name="Alice A.")
    bob, b_persona = person(display_name="Bob B.")
    session = SessionFactory(agency=agency, hide_notes=True, phase=Phase.DIVERGE)
    a = actions.participant_join(user=alice, session=session, persona=a_persona)
    b = actions.participant_join(user=bob, session=session, persona=b_persona)
    return session, facilitator, (alice, a), (bob, b)


async def _drain_raw(layer, channel: str) -> list[dict]:
    messages = []
    while True:
        try:
            messages.append(await asyncio.wait_for(layer.receive(channel), 0.3))
        except TimeoutError:
            return messages


async def _drain(client: LiveClient) -> list[str]:
    """Every frame the socket has been sent so far, as the text the browser would get."""
    frames = []
    while not await client.ws.receive_nothing(timeout=0.3):
        frames.append(await client.ws.receive_from())
    return frames


async def test_hidden_note_text_is_on_no_shared_message_and_reaches_only_author_and_facilitator():
    session, facilitator, (alice_user, alice), (bob_user, bob) = await _world()
    layer = get_channel_layer()
    raw = await layer.new_channel()
    await layer.group_add(group_for(session_stream(session.pk)), raw)

    fac = LiveClient(session.pk, facilitator)  # a facilitator who has not joined as a participant
    author = LiveClient(session.pk, alice_user)
    other = LiveClient(session.pk, bob_user)
    watcher = LiveClient(session.pk, AnonymousUser())
    clients = [fac, author, other, watcher]
    try:
        for client in clients:
            await client.connect()
        # Each socket is told which private streams it follows, with their numbers.
        assert fac.snapshot["streams"] == {facilitators_stream(session.pk): 0}
        assert author.snapshot["streams"] == {participant_stream(session.pk, alice.pk): 0}
        assert set(other.snapshot["streams"]) == {participant_stream(session.pk, bob.pk)}
        assert "streams" not in watcher.snapshot

        added = await author.ok("note_add", text=SECRET)
        note = await db(lambda: session.notes.get(pk=added["note"]))()
        await author.ok("note_edit", note=note.pk, version=note.version, text=EDITED)
        # A drag is coalesced: its event carries positions only, never text.
        await author.ok("note_move", note=note.pk, version=note.version + 1, x=40, y=50)

        shared = await _drain_raw(layer, raw)
        assert [m["event"] for m in shared if m["event"].startswith("note")] == [
            "note.created",
            "note.updated",
            "notes.moved",
        ]
        for message in shared:
            assert SECRET not in str(message) and EDITED not in str(message)
            assert "_private" not in message["data_json"]

        for client in (other, watcher):
            frames = await _drain(client)
            assert any('"note.created"' in f for f in frames)
            assert not any(SECRET in f or EDITED in f for f in frames), frames
            assert not any('"note.text"' in f for f in frames)

        for client, stream in (
            (author, participant_stream(session.pk, alice.pk)),
            (fac, facilitators_stream(session.pk)),
        ):
            texts = [await client.event("note.text") for _ in range(2)]
            assert [t["data"]["text"] for t in texts] == [SECRET, EDITED]
            assert [t["stream"] for t in texts] == [stream] * 2
            assert [t["seq"] for t in texts] == [1, 2]  # numbered per stream: no gaps
            assert all(t["data"]["concealed"] is False for t in texts)

        # A new snapshot gives the same answer as the events did.
        other_again = LiveClient(session.pk, bob_user)
        snap = await other_again.connect()
        assert [n["text"] for n in snap["data"]["notes"]] == [""]
        assert snap["streams"] == {participant_stream(session.pk, bob.pk): 0}
        await other_again.disconnect()
        fac_again = LiveClient(session.pk, facilitator)
        snap = await fac_again.connect()
        assert [n["text"] for n in snap["data"]["notes"]] == [EDITED]
        assert snap["streams"] == {facilitators_stream(session.pk): 2}
        await fac_again.disconnect()
    finally:
        for client in clients:
            await client.disconnect()
        await layer.group_discard(group_for(session_stream(session.pk)), raw)


async def test_a_participant_found_on_their_first_action_gets_their_private_stream():
    """Joined in another tab after this socket connected: the socket learns who they are on
    their first action and starts following their stream, with a snapshot naming it."""
    session, _facilitator, _alice, _bob = await _world()
    carol, c_persona = await db(person)(display_name="Carol C.")
    client = LiveClient(session.pk, carol)
    try:
        await client.connect()
        assert "streams" not in client.snapshot
        joined = await db(actions.participant_join)(user=carol, session=session, persona=c_persona)
        await client.ok("note_add", text=SECRET)
        while client.snapshot.get("streams") is None:
            await client._next()
        assert client.snapshot["streams"] == {participant_stream(session.pk, joined.pk): 1}
        assert [n["text"] for n in client.snapshot["data"]["notes"]] == [SECRET]
    finally:
        await client.disconnect()
