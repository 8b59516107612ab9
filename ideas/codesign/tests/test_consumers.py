"""A whole co-design session driven through the live consumer by several people at once."""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async as db
from django.contrib.auth.models import AnonymousUser

from community.tests.factories import OrganisationFactory, UserFactory
from ideas.backlog.models import BacklogItem, BacklogSourceLink, ItemStatus
from ideas.codesign import actions
from ideas.codesign.models import CodesignSession, Dot, Note, NoteGroup, Outcome, Participant
from ideas.codesign.tests.factories import SessionFactory, designer, person
from ideas.codesign.tests.live import LiveClient
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True)


@db
def _world(**session_kwargs):
    agency = OrganisationFactory(name="Northvale Transport")
    facilitator, f_persona = designer(agency, display_name="Dana the designer")
    alice, a_persona = person(display_name="Alice A.")
    bob, b_persona = person(display_name="Bob B.")
    challenge = ChallengeFactory(agency=agency)
    idea = IdeaFactory(challenge=challenge, title="Live arrival screens")
    session = SessionFactory(agency=agency, challenge=challenge, **session_kwargs)
    session.seed_ideas.add(idea)
    return {
        "agency": agency,
        "session": session,
        "idea": idea,
        "facilitator": (facilitator, f_persona),
        "alice": (alice, a_persona),
        "bob": (bob, b_persona),
    }


@db
def _guest(session):
    guest = actions.participant_join(user=None, session=session, guest_name="Gwen")
    return {"codesign.guests": {str(session.pk): guest.guest_key}}


@db
def _db_board(session_id):
    notes = {
        n.pk: {"text": n.text, "group": n.group_id, "x": n.x, "y": n.y, "version": n.version}
        for n in Note.objects.filter(session_id=session_id, is_hidden=False)
    }
    return notes


def _board(snapshot):
    return {
        n["id"]: {
            "text": n["text"],
            "group": n["group"],
            "x": n["x"],
            "y": n["y"],
            "version": n["version"],
        }
        for n in snapshot["data"]["notes"]
    }


@db
def _count(model, **filters):
    return model.objects.filter(**filters).count()


@db
def _session(pk):
    return CodesignSession.objects.get(pk=pk)


async def test_a_whole_session_runs_from_lobby_to_backlog_item_with_several_people():
    w = await _world(hide_notes=True, allow_guests=True, vote_budget=3, group_cap=2)
    session = w["session"]
    guest_store = await _guest(session)
    fac = LiveClient(session.pk, w["facilitator"][0])
    alice = LiveClient(session.pk, w["alice"][0])
    bob = LiveClient(session.pk, w["bob"][0])
    gwen = LiveClient(session.pk, AnonymousUser(), guest_store)
    clients = [fac, alice, bob, gwen]
    try:
        for client in clients:
            snap = await client.connect()
            assert snap["data"]["session"]["phase"] == "lobby"
        assert gwen.snapshot["data"]["you"]["name"] == "Gwen (guest)"

        # Not joined yet: refused, nothing written.
        error = await bob.send("note_add", text="Hello")
        assert error["code"] == "not_joined"
        for client, key in ((fac, "facilitator"), (alice, "alice"), (bob, "bob")):
            result = await client.ok("join", persona=w[key][1].pk)
            assert result["name"] == w[key][1].display_name
        joined = await alice.event("participant.joined", name="Bob B.")
        assert "email" not in str(joined) and "account" not in joined["data"]

        # Only facilitators drive the phases.
        version = (await _session(session.pk)).version
        error = await alice.send("phase", to="next", version=version)
        assert error["code"] == "forbidden"
        await fac.ok("phase", to="next", version=version)
        for client in clients:
            event = await client.event("session.updated", phase="brief")
            assert event["data"]["phase_label"] == "Brief"
        error = await alice.send("note_add", text="Too early")
        assert error["code"] == "wrong_phase"

        version = (await _session(session.pk)).version
        await fac.ok("phase", to="next", version=version)
        await bob.event("session.updated", phase="diverge")

        # Diverge with notes hidden until the reveal.
        prompt = alice.snapshot["data"]["prompts"][0]["id"]
        added = await alice.ok(
            "note_add", text="Screens at every stop", prompt=prompt, idea=w["idea"].pk, x=10, y=20
        )
        seen_by_bob = await bob.event("note.created")
        assert seen_by_bob["data"]["text"] == "" and seen_by_bob["data"]["concealed"] is True
        assert "Screens" not in str(seen_by_bob)
        seen_by_fac = await fac.event("note.text")
        assert seen_by_fac["data"]["text"] == "Screens at every stop"
        own = await alice.event("note.text")
        assert own["data"]["text"] == "Screens at every stop" and own["id"] == added["note"]
        await gwen.ok("note_add", text="Timetables I can read")
        await bob.ok("note_add", text="Buses that come on time", colour="pink")
        bob_reconnected = LiveClient(session.pk, w["bob"][0])
        snap = await bob_reconnected.connect()
        texts = sorted(n["text"] for n in snap["data"]["notes"])
        assert texts == ["", "", "Buses that come on time"]
        await bob_reconnected.disconnect()

        # Bad notes: clear errors, nothing changes.
        before = await _count(Note, session=session)
        error = await alice.send("note_add", text="x" * 281)
        assert error["code"] == "invalid" and "280" in error["message"]
        error = await alice.send("note_add", text="   ")
        assert error["code"] == "invalid" and "Write something" in error["message"]
        assert await _count(Note, session=session) == before

        # Timer: start, pause, extend; a stale version changes nothing and resends the state.
        version = (await _session(session.pk)).version
        await fac.ok("timer_start", seconds=300, version=version)
        timer = (await alice.event("session.updated", change="timer"))["data"]["timer"]
        assert timer["running"] is True and 295 <= timer["remaining"] <= 300
        error = await fac.send("timer_pause", version=version)
        assert error["code"] == "stale"
        assert fac.snapshot["data"]["session"]["version"] == version + 1
        await fac.ok("timer_pause", version=version + 1)
        paused = (await alice.event("session.updated", change="timer"))["data"]["timer"]
        assert paused["running"] is False and paused["remaining"] <= 300
        await fac.ok("timer_extend", seconds=60, version=version + 2)
        extended = (await alice.event("session.updated", change="timer"))["data"]["timer"]
        assert extended["remaining"] == paused["remaining"] + 60

        # Reveal: everyone sees every note's text.
        version = (await _session(session.pk)).version
        error = await bob.send("reveal", version=version)
        assert error["code"] == "forbidden"
        await fac.ok("reveal", version=version)
        revealed = await bob.event("notes.revealed")
        assert sorted(n["text"] for n in revealed["data"]["notes"]) == [
            "Buses that come on time",
            "Screens at every stop",
            "Timetables I can read",
        ]

        # Cluster: name groups and move notes into them.
        version = (await _session(session.pk)).version
        await fac.ok("phase", to="cluster", version=version)
        await alice.event("session.updated", phase="cluster")
        info = (await alice.ok("group_add", name="Information"))["group"]
        reliability = (await bob.ok("group_add", name="Reliability"))["group"]
        await gwen.event("group.created", name="Reliability")
        notes = {n["text"]: n for n in (await _db_board_list(session.pk))}
        screens = notes["Screens at every stop"]
        await bob.ok("note_move", note=screens["id"], version=screens["version"], group=info)
        moved = await alice.event("note.updated", group=info)
        assert moved["id"] == screens["id"]
        for text, group in (
            ("Timetables I can read", info),
            ("Buses that come on time", reliability),
        ):
            await gwen.ok(
                "note_move", note=notes[text]["id"], version=notes[text]["version"], group=group
            )
        error = await gwen.send("vote", group=info)
        assert error["code"] == "wrong_phase"

        # Vote: budget 3, at most 2 on one group.
        version = (await _session(session.pk)).version
        await fac.ok("phase", to="next", version=version)
        await alice.event("session.updated", phase="vote")
        assert (await alice.ok("vote", group=info)) == {
            "group": info,
            "votes": 1,
            "mine": 1,
            "left": 2,
        }
        await alice.ok("vote", group=info)
        error = await alice.send("vote", group=info)
        assert error["code"] == "over_budget" and "at most 2" in error["message"]
        await alice.ok("vote", group=reliability)
        error = await alice.send("vote", group=reliability)
        assert error["code"] == "over_budget" and "all 3" in error["message"]
        result = await alice.ok("unvote", group=reliability)
        assert result["left"] == 1
        await bob.ok("vote", group=info)
        await gwen.ok("vote", group=reliability)
        totals = await fac.event("votes.changed", group=info, votes=3)
        assert totals["data"] == {"group": info, "votes": 3}
        assert await _count(Dot, session=session) == 4

        # Decide: the top group becomes an outcome, then a backlog item.
        version = (await _session(session.pk)).version
        await fac.ok("phase", to="decide", version=version)
        outcome = (await fac.ok("outcome_add", title="Arrival screens at busy stops", group=info))[
            "outcome"
        ]
        await alice.event("outcome.created", title="Arrival screens at busy stops")
        error = await alice.send("outcome_promote", outcome=outcome)
        assert error["code"] == "forbidden"
        promoted = await fac.ok("outcome_promote", outcome=outcome)
        event = await bob.event("outcome.promoted")
        assert event["data"]["backlog_item"] == promoted["backlog_item"]

        # The facilitator leaving ends nothing; coming back, they finish the session.
        await fac.disconnect()
        clients.remove(fac)
        left = await alice.event("presence.changed", here=False)
        assert left["data"]["name"] == "Dana the designer"
        assert (await _session(session.pk)).phase == "decide"
        await alice.ok("typing", typing=True)
        await bob.event("presence.typing", name="Alice A.", typing=True)
        fac = LiveClient(session.pk, w["facilitator"][0])
        clients.append(fac)
        snap = await fac.connect()
        await fac.ok("phase", to="next", version=snap["data"]["session"]["version"])
        ended = await alice.event("session.updated", phase="summary")
        assert ended["data"]["ended"] is True and ended["data"]["locked"] is True
        error = await alice.send("note_add", text="After the end")
        assert error["code"] in ("wrong_phase", "locked")

        # Everyone's board equals the database.
        await alice.ws.send_json_to({"type": "resync"})
        while (await alice._next())["type"] != "snapshot":
            pass
        assert _board(alice.snapshot) == await _db_board(session.pk)
    finally:
        for client in clients:
            await client.disconnect()

    item = await db(BacklogItem.objects.get)(pk=promoted["backlog_item"])
    assert item.status == ItemStatus.NEW and item.is_public is False
    assert item.agency_id == w["agency"].pk
    assert await db(lambda: list(item.idea_links.values_list("idea_id", flat=True)))() == [
        w["idea"].pk
    ]
    assert await _count(BacklogSourceLink, item=item, object_id=outcome) == 1
    assert (await db(Outcome.objects.get)(pk=outcome)).backlog_item_id == item.pk


@db
def _db_board_list(session_id):
    return [
        {"id": n.pk, "text": n.text, "version": n.version}
        for n in Note.objects.filter(session_id=session_id)
    ]


@db
def _clustering_board():
    agency = OrganisationFactory()
    _facilitator, _ = designer(agency)
    session = SessionFactory(agency=agency, phase="cluster")
    people = [person() for _ in range(2)]
    parts = [Participant.objects.create(session=session, account=u, persona=p) for u, p in people]
    note = Note.objects.create(session=session, author=parts[0], text="Cleaner seats")
    left = NoteGroup.objects.create(session=session, name="Comfort", position=1)
    right = NoteGroup.objects.create(session=session, name="Cleaning", position=2)
    return session, [u for u, _ in people], note, left, right


async def test_two_clients_moving_one_note_at_once_converge_on_the_database_state():
    session, (one, two), note, left, right = await _clustering_board()
    a, b = LiveClient(session.pk, one), LiveClient(session.pk, two)
    try:
        await a.connect()
        await b.connect()
        snapshots = {a: a.snapshot, b: b.snapshot}
        replies = await asyncio.gather(
            a.send("note_move", note=note.pk, version=1, group=left.pk, x=100, y=100),
            b.send("note_move", note=note.pk, version=1, group=right.pk, x=900, y=50),
        )
        kinds = sorted(r["type"] for r in replies)
        assert kinds == ["ack", "error"]
        loser = a if replies[0]["type"] == "error" else b
        error = next(r for r in replies if r["type"] == "error")
        assert error["code"] == "stale"
        # The refusal carries the note as it now stands (the winner's move): one row, not a
        # whole snapshot, and no snapshot follows.
        expected = await _db_board(session.pk)
        current = error["current"]["note"]
        assert error["current"]["kind"] == "note"
        assert {k: current[k] for k in ("text", "group", "x", "y", "version")} == expected[note.pk]
        assert expected[note.pk]["version"] == 2
        # Both clients apply the winner's one event and reach the database's state.
        for client in (a, b):
            event = await client.event("note.updated")
            assert event["data"]["group"] == expected[note.pk]["group"]
            board = _board(client.snapshot)
            board[note.pk] = {k: event["data"][k] for k in ("text", "group", "x", "y", "version")}
            assert board == expected
            assert client.snapshot is snapshots[client]  # no snapshot was sent
        # A retry on the fresh version succeeds.
        await loser.ok("note_move", note=note.pk, version=2, group=left.pk)
        final = await _db_board(session.pk)
        assert final[note.pk]["group"] == left.pk and final[note.pk]["version"] == 3
    finally:
        await a.disconnect()
        await b.disconnect()


async def test_a_flooding_client_is_throttled_then_disconnected_and_changes_nothing(settings):
    settings.REALTIME = {**settings.REALTIME, "BURST": 5, "VIOLATIONS_BEFORE_CLOSE": 3}
    w = await _world()
    session = w["session"]
    await db(Participant.objects.create)(
        session=session, account=w["alice"][0], persona=w["alice"][1]
    )
    await db(CodesignSession.objects.filter(pk=session.pk).update)(phase="diverge")
    client = LiveClient(session.pk, w["alice"][0])
    try:
        await client.connect()
        for n in range(12):
            await client.ws.send_json_to({"type": "note_add", "text": f"Spam {n}"})
        codes, acks = [], 0
        while True:
            output = await client.ws.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                assert output["code"] == 4429
                break
            frame = json.loads(output["text"])
            if frame["type"] == "error":
                codes.append(frame["code"])
            acks += frame["type"] == "ack"
        assert codes.count("rate_limited") == 3
    finally:
        await client.disconnect()  # returns once the actions let through have finished
    # Only the messages that were let through (the burst of 5) wrote anything: actions taken
    # before the close still complete, even if their acks could no longer be delivered.
    notes = await _count(Note, session=session)
    assert acks <= notes and 5 <= notes <= 12 - 3


async def test_rejected_actions_each_say_why_and_change_nothing():
    w = await _world()
    session = w["session"]
    fac = LiveClient(session.pk, w["facilitator"][0])
    alice = LiveClient(session.pk, w["alice"][0])
    stranger = LiveClient(session.pk, AnonymousUser())
    try:
        await fac.connect()
        await alice.connect()
        await stranger.connect()
        await fac.ok("join", persona=w["facilitator"][1].pk)
        await alice.ok("join", persona=w["alice"][1].pk)
        error = await stranger.send("join", persona=w["alice"][1].pk)
        assert error["code"] == "auth_required"
        error = await stranger.send("vote", group=1)
        assert error["code"] == "not_joined"
        error = await alice.send("join", persona=w["bob"][1].pk)
        assert error["code"] == "invalid" and "own personas" in error["message"]
        error = await fac.send("phase", to="next", version=99)
        assert error["code"] == "stale"
        error = await alice.send("lock", locked=True, version=1)
        assert error["code"] == "forbidden"
        error = await alice.send("note_add", text="hi", x=-5)
        assert error["code"] == "invalid"
        assert (await _session(session.pk)).version == 1
        assert await _count(Note, session=session) == 0
    finally:
        for client in (fac, alice, stranger):
            await client.disconnect()


async def test_a_removed_participant_is_disconnected_and_cannot_act():
    w = await _world()
    session = w["session"]
    fac = LiveClient(session.pk, w["facilitator"][0])
    bob = LiveClient(session.pk, w["bob"][0])
    try:
        await fac.connect()
        await bob.connect()
        await fac.ok("join", persona=w["facilitator"][1].pk)
        joined = await bob.ok("join", persona=w["bob"][1].pk)
        await fac.ok("remove", participant=joined["participant"])
        while True:
            output = await bob.ws.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                assert output["code"] == 4403
                break
        again = LiveClient(session.pk, w["bob"][0])
        await again.ws.connect()
        assert (await again.ws.receive_output(timeout=5))["code"] == 4403
        await again.disconnect()
    finally:
        await fac.disconnect()
        await bob.disconnect()


async def test_invited_sessions_refuse_strangers_and_unknown_sessions_are_not_found():
    w = await _world(visibility="invited")
    stranger = LiveClient(w["session"].pk, await db(UserFactory)())
    missing = LiveClient(999999, AnonymousUser())
    with_code = LiveClient(w["session"].pk, AnonymousUser(), {"codesign.codes": [w["session"].pk]})
    try:
        for client, code in ((stranger, 4403), (missing, 4404)):
            await client.ws.connect()
            assert (await client.ws.receive_output(timeout=5)) == {
                "type": "websocket.close",
                "code": code,
            }
        assert (await with_code.connect())["data"]["session"]["id"] == w["session"].pk
    finally:
        for client in (stranger, missing, with_code):
            await client.disconnect()
