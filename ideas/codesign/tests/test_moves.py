"""Workshop scale on the live board: drags coalesced (latest position wins), edits and votes
never coalesced, and a clear ``busy`` answer, with nothing applied, past what a process can
take (docs/realtime.md, "Coalesced note moves" and "Overload")."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async as db
from jsonschema import Draft202012Validator

from ideas.codesign import actions
from ideas.codesign.models import CodesignSession, Note, NoteGroup, Phase
from ideas.codesign.moves import buffer
from ideas.codesign.tests.factories import SessionFactory, person
from ideas.codesign.tests.live import LiveClient
from realtime.consumers import ERROR_FRAME_SCHEMA, admission

pytestmark = pytest.mark.django_db(transaction=True)


@db
def _world():
    session = SessionFactory(phase=Phase.DIVERGE)
    alice_user, alice_persona = person(display_name="Alice A.")
    bob_user, bob_persona = person(display_name="Bob B.")
    alice = actions.participant_join(user=alice_user, session=session, persona=alice_persona)
    actions.participant_join(user=bob_user, session=session, persona=bob_persona)
    note = actions.note_add(participant=alice, session=session, text="Shelters with seats", x=5)
    return session, alice_user, bob_user, note


@db
def _note(pk):
    return Note.objects.values("x", "y", "version", "text").get(pk=pk)


async def _answers(client: LiveClient, refs: list[str]) -> dict[str, dict]:
    """The ack or error frame of each ref (events are kept on the client meanwhile)."""
    answers: dict[str, dict] = {}
    while len(answers) < len(refs):
        frame = await client._next()
        if frame["type"] in ("ack", "error") and frame.get("ref") in refs:
            answers[frame["ref"]] = frame
    return answers


async def test_drags_of_a_note_within_one_flush_persist_and_broadcast_only_the_latest_position(
    settings,
):
    settings.CODESIGN = {"MOVE_FLUSH_MS": 300}
    session, alice_user, bob_user, note = await _world()
    alice, bob = LiveClient(session.pk, alice_user), LiveClient(session.pk, bob_user)
    in_flight = admission.in_flight
    try:
        await alice.connect()
        await bob.connect()
        refs = [f"drag-{i}" for i in range(3)]
        for ref, x in zip(refs, (100, 200, 300), strict=True):
            # The client sends each step at once; the version is not compared for drags.
            await alice.ws.send_json_to(
                {"type": "note_move", "ref": ref, "note": note.pk, "version": 1, "x": x, "y": x}
            )
        answers = await _answers(alice, refs)
        assert [answers[r]["type"] for r in refs] == ["ack", "ack", "ack"]
        # Acknowledged once applied: each names the version the winning move made.
        assert [answers[r]["result"]["version"] for r in refs] == [2, 2, 2]
        assert [answers[r]["result"].get("superseded", False) for r in refs] == [True, True, False]

        moved = await bob.event("notes.moved")
        assert moved["data"] == {"notes": [{"id": note.pk, "x": 300, "y": 300, "version": 2}]}
        assert await bob.quiet()  # the intermediate positions were never broadcast
        assert not [e for e in bob.events if e["type"].startswith("note")]
        assert await _note(note.pk) == {
            "x": 300,
            "y": 300,
            "version": 2,
            "text": "Shelters with seats",
        }
        # A fresh snapshot agrees with the event and the database.
        again = LiveClient(session.pk, bob_user)
        snap = await again.connect()
        await again.disconnect()
        (card,) = snap["data"]["notes"]
        assert (card["x"], card["y"], card["version"]) == (300, 300, 2)
        assert admission.in_flight == in_flight
    finally:
        await alice.disconnect()
        await bob.disconnect()


async def test_a_drag_refused_when_its_batch_is_applied_gets_its_error_and_changes_nothing():
    session, _alice_user, bob_user, note = await _world()
    bob = LiveClient(session.pk, bob_user)
    try:
        await bob.connect()
        # While adding notes, people move only their own notes.
        error = await bob.send("note_move", note=note.pk, version=1, x=900, y=900)
        assert error["code"] == "forbidden"
        assert "own notes" in error["message"]
        error = await bob.send("note_move", note=note.pk, version=1, x=9000, y=1)
        assert error["code"] == "invalid"
        await buffer.drain()
        assert await _note(note.pk) == {"x": 5, "y": 0, "version": 1, "text": "Shelters with seats"}
        assert not [e for e in bob.events if e["type"] == "notes.moved"]
    finally:
        await bob.disconnect()


async def test_edits_are_never_coalesced_and_keep_their_version_rules():
    session, alice_user, _bob_user, note = await _world()
    alice = LiveClient(session.pk, alice_user)
    try:
        await alice.connect()
        await alice.ws.send_json_to(
            {"type": "note_edit", "ref": "e1", "note": note.pk, "version": 1, "text": "Seats"}
        )
        await alice.ws.send_json_to(
            {"type": "note_edit", "ref": "e2", "note": note.pk, "version": 2, "text": "Benches"}
        )
        answers = await _answers(alice, ["e1", "e2"])
        assert [answers[r]["result"]["version"] for r in ("e1", "e2")] == [2, 3]
        first = await alice.event("note.updated")
        second = await alice.event("note.updated")
        assert [first["data"]["text"], second["data"]["text"]] == ["Seats", "Benches"]
        # An edit on a version a drag has moved past is still refused as stale,
        # with the note as it now stands.
        await alice.ok("note_move", note=note.pk, version=3, x=40, y=40)
        stale = await alice.send("note_edit", note=note.pk, version=3, text="Late")
        assert stale["code"] == "stale"
        assert stale["current"]["note"]["version"] == 4
        assert (await _note(note.pk))["text"] == "Benches"
    finally:
        await alice.disconnect()


@db
def _vote_world():
    session, alice_user, _bob_user, _note = _world.func()
    CodesignSession.objects.filter(pk=session.pk).update(phase=Phase.VOTE)
    group = NoteGroup.objects.create(session=session, name="Seating")
    return session, alice_user, group


async def test_votes_are_never_coalesced_each_one_counts_and_is_broadcast():
    session, alice_user, group = await _vote_world()
    alice = LiveClient(session.pk, alice_user)
    try:
        await alice.connect()
        for ref in ("v1", "v2"):
            await alice.ws.send_json_to({"type": "vote", "ref": ref, "group": group.pk})
        answers = await _answers(alice, ["v1", "v2"])
        assert [answers[r]["result"]["mine"] for r in ("v1", "v2")] == [1, 2]
        totals = [(await alice.event("votes.changed"))["data"]["votes"] for _ in range(2)]
        assert totals == [1, 2]
    finally:
        await alice.disconnect()


@db
def _notes(session):
    return Note.objects.filter(session=session).count()


async def test_an_action_over_the_process_budget_is_answered_busy_with_a_hint_and_not_applied(
    settings, monkeypatch
):
    settings.REALTIME = {**settings.REALTIME, "ACTIONS_IN_FLIGHT": 4}
    session, alice_user, _bob_user, note = await _world()
    alice = LiveClient(session.pk, alice_user)
    try:
        await alice.connect()
        monkeypatch.setattr(admission, "in_flight", 4)  # other sockets' work fills the budget
        busy = await alice.send("note_add", text="A shelter at every stop")
        drag = await alice.send("note_move", note=note.pk, version=1, x=7, y=7)
        for frame in (busy, drag):
            assert frame["code"] == "busy"
            assert 250 <= frame["retry_after_ms"] <= 5000
            assert "not saved" in frame["message"]
            assert not list(Draft202012Validator(ERROR_FRAME_SCHEMA).iter_errors(frame))
        assert await _notes(session) == 1
        assert (await _note(note.pk))["x"] == 5
        # Once the process has room, the same action goes through.
        monkeypatch.setattr(admission, "in_flight", 0)
        await alice.ok("note_add", text="A shelter at every stop")
        assert await _notes(session) == 2
    finally:
        await alice.disconnect()


async def test_resending_after_busy_never_counts_as_sending_too_fast(settings, monkeypatch):
    # A burst of 3: without giving busy answers' tokens back, the fourth resend would be
    # refused as rate_limited and, after the violations limit, the socket closed.
    settings.REALTIME = {
        **settings.REALTIME,
        "ACTIONS_IN_FLIGHT": 4,
        "MESSAGES_PER_SECOND": 0.001,
        "BURST": 3,
        "VIOLATIONS_BEFORE_CLOSE": 2,
    }
    session, alice_user, _bob_user, _note = await _world()
    alice = LiveClient(session.pk, alice_user)
    try:
        await alice.connect()
        monkeypatch.setattr(admission, "in_flight", 4)
        for _ in range(6):  # the same note, resent as each busy answer asks
            frame = await alice.send("note_add", text="A shelter at every stop")
            assert frame["code"] == "busy"
        assert await _notes(session) == 1
        monkeypatch.setattr(admission, "in_flight", 0)
        await alice.ok("note_add", text="A shelter at every stop")
        assert await _notes(session) == 2
    finally:
        await alice.disconnect()


async def test_an_action_that_waited_past_the_queue_age_limit_is_answered_busy_not_run(settings):
    settings.REALTIME = {**settings.REALTIME, "ACTION_MAX_WAIT_MS": 0.0}
    session, alice_user, _bob_user, _note = await _world()
    alice = LiveClient(session.pk, alice_user)
    in_flight = admission.in_flight
    try:
        await alice.connect()
        busy = await alice.send("note_add", text="A shelter at every stop")
        assert busy["code"] == "busy" and busy["retry_after_ms"] >= 250
        assert await _notes(session) == 1
        assert admission.in_flight == in_flight
    finally:
        await alice.disconnect()
