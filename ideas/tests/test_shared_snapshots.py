"""A crowd opening one board: one snapshot build per board, sort and sequence number, shared
by every socket; each viewer still sees their own supports; no event is lost between the
build and the send; nothing held or hidden is ever in a shared frame."""

import asyncio

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.moderation import actions as mod
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import UserFactory
from ideas import actions
from ideas.consumers import BoardConsumer
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen
from realtime import recovery
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


@pytest.fixture
def builds(monkeypatch):
    """Every build of a board's data, by the viewer it was built for (None: signed out)."""
    made: list = []
    original = BoardConsumer._board_data

    def counted(consumer, user):
        made.append(user.pk if user.is_authenticated else None)
        return original(consumer, user)

    monkeypatch.setattr(BoardConsumer, "_board_data", counted)
    monkeypatch.setattr(recovery, "SHARED_FOR", 60.0)  # a slow test machine reuses as well
    return made


async def _open(challenge_id, user=None, query=""):
    ws = WebsocketCommunicator(app, f"/ws/boards/{challenge_id}/{query}")
    ws.scope["user"] = user or AnonymousUser()
    connected, _ = await ws.connect(timeout=10)
    assert connected
    return ws


async def _snapshot(ws):
    frame = await ws.receive_json_from(timeout=10)
    assert frame["type"] == "snapshot"
    return frame


async def _crowd(challenge_id, users, query=""):
    sockets = await asyncio.gather(*(_open(challenge_id, u, query) for u in users))
    frames = await asyncio.gather(*(_snapshot(ws) for ws in sockets))
    return list(sockets), list(frames)


async def _close(sockets):
    for ws in sockets:
        await ws.disconnect()


@sync_to_async
def _board(ideas=3):
    challenge = ChallengeFactory()
    return challenge, [IdeaFactory(challenge=challenge) for _ in range(ideas)]


async def test_a_crowd_opening_one_board_builds_its_snapshot_once_per_sort(builds):
    challenge, _ideas = await _board()
    users = [await sync_to_async(UserFactory)() for _ in range(4)]
    sockets, frames = await _crowd(challenge.pk, [None] * 12 + users)
    more, top = await _crowd(challenge.pk, [None] * 4, "?sort=top")
    try:
        assert builds == [None, None]  # one for the default sort, one for "top"; signed out
        assert len({f["seq"] for f in frames}) == 1
        assert len({str(f["data"]["ideas"]) for f in frames + top}) == 1  # same ideas …
        assert {f["data"]["sort"] for f in top} == {"top"}  # … in their own sort's build
    finally:
        await _close(sockets + more)


async def test_signed_in_viewers_sharing_a_snapshot_each_see_their_own_supports(builds):
    challenge, (first, second, third) = await _board()
    alice, bob = [await sync_to_async(UserFactory)() for _ in range(2)]
    await sync_to_async(actions.vote_cast)(user=alice, idea=first)
    await sync_to_async(actions.vote_cast)(user=bob, idea=second)
    await sync_to_async(actions.vote_cast)(user=bob, idea=third)
    # Alice opens first: the build is hers to start, and still holds nothing of hers.
    ws_alice = await _open(challenge.pk, alice)
    alice_frame = await _snapshot(ws_alice)
    sockets, (bob_frame, anonymous_frame) = await _crowd(challenge.pk, [bob, None])
    try:
        assert builds == [None]
        assert alice_frame["data"]["viewer"] == {"authenticated": True, "supported": [first.pk]}
        assert bob_frame["data"]["viewer"] == {
            "authenticated": True,
            "supported": sorted([second.pk, third.pk]),
        }
        assert anonymous_frame["data"]["viewer"] == {"authenticated": False, "supported": []}
        counts = {i["id"]: i["support_count"] for i in anonymous_frame["data"]["ideas"]}
        assert counts == {first.pk: 1, second.pk: 1, third.pk: 1}
        # Apart from the viewer, all three hold the same frame.
        for frame in (alice_frame, bob_frame):
            assert {**frame["data"], "viewer": None} == {**anonymous_frame["data"], "viewer": None}
            assert frame["seq"] == anonymous_frame["seq"]
    finally:
        await _close([ws_alice, *sockets])


async def test_an_idea_posted_while_the_snapshot_is_built_reaches_every_socket(builds, monkeypatch):
    """A posts while A's shared snapshot is being built (after its number was read); B
    connects before the build ends and saw the later number: B must not take A's frame (the
    event may have been published before B joined), so B gets a build of its own; A gets the
    frame and then the event, with no gap."""
    challenge, _ideas = await _board(ideas=1)
    author, _persona = await sync_to_async(citizen)()
    building, release = asyncio.Event(), asyncio.Event()
    original = BoardConsumer.build_shared_snapshot

    async def held_build(consumer):
        building.set()
        await release.wait()
        return await sync_to_async(original)(consumer)

    monkeypatch.setattr(BoardConsumer, "build_shared_snapshot", held_build)
    reads = []
    read_sequence = recovery.acurrent_sequence

    async def counted_read(stream):
        seq = await read_sequence(stream)
        reads.append(seq)
        return seq

    monkeypatch.setattr(recovery, "acurrent_sequence", counted_read)

    ws_a = await _open(challenge.pk)
    await asyncio.wait_for(building.wait(), 10)
    idea = await sync_to_async(actions.idea_create, thread_sensitive=False)(
        user=author, challenge=challenge, title="Shelters at every stop", body="Rain cover."
    )
    ws_b = await _open(challenge.pk)
    for _ in range(500):  # until B has read its number and waits for A's build
        if len(reads) >= 2:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    release.set()
    try:
        frame_a, frame_b = await _snapshot(ws_a), await _snapshot(ws_b)
        assert reads == [frame_a["seq"], frame_a["seq"] + 1]
        assert frame_b["seq"] == frame_a["seq"] + 1  # a build of its own, under its number
        assert len(builds) == 2
        event = await ws_a.receive_json_from(timeout=10)
        assert (event["type"], event["id"], event["seq"]) == (
            "idea.created",
            idea.pk,
            frame_a["seq"] + 1,
        )
        assert idea.pk in [i["id"] for i in frame_b["data"]["ideas"]]
        # B may still be handed the event: with Redis, the board's one subscription in this
        # process can read it after B joined the group locally. It is then numbered within
        # B's snapshot, which the client drops as applied; nothing later may come.
        while not await ws_b.receive_nothing(timeout=0.2):
            late = await ws_b.receive_json_from(timeout=1)
            assert late["seq"] <= frame_b["seq"], late
    finally:
        await _close([ws_a, ws_b])


@sync_to_async
def _held_and_hidden(challenge):
    author, _persona = citizen()
    held = actions.idea_create(
        user=author, challenge=challenge, title="Call me", body="Ring 0161 496 0018 about buses"
    )
    assert held.screening.held
    hidden = IdeaFactory(challenge=challenge, persona=author.personas.first(), title="Gone soon")
    mod.report_create(user=UserFactory(), obj=hidden, reason="abuse")
    case = ModerationCase.objects.get(object_id=hidden.pk, content_type__model="idea")
    mod.case_decide(
        moderator=moderator(agency=challenge.agency),
        case=case,
        version=1,
        action="hide",
        reason="abuse",
    )
    return author, held, hidden


async def test_held_and_hidden_ideas_are_in_no_shared_snapshot_not_even_their_authors(builds):
    challenge, shown = await _board(ideas=2)
    author, _held, _hidden = await _held_and_hidden(challenge)
    other = await sync_to_async(UserFactory)()
    ws_author = await _open(challenge.pk, author)  # the author's socket starts the build
    frames = [await _snapshot(ws_author)]
    sockets, more = await _crowd(challenge.pk, [other, None])
    frames += more
    try:
        assert builds == [None]
        for frame in frames:
            ids = [i["id"] for i in frame["data"]["ideas"]]
            assert sorted(ids) == sorted(i.pk for i in shown)
            assert frame["data"]["total"] == 2
            text = str(frame)
            assert "0161" not in text and "Gone soon" not in text
    finally:
        await _close([ws_author, *sockets])


async def test_a_signed_out_crowd_looks_the_board_up_once_and_a_closed_board_refuses_them_all(
    monkeypatch,
):
    looked_up: list = []
    original = BoardConsumer._load_challenge

    def counted(consumer, challenge_id):
        looked_up.append((challenge_id, consumer.user.is_authenticated))
        return original(consumer, challenge_id)

    monkeypatch.setattr(BoardConsumer, "_load_challenge", counted)
    challenge, _ideas = await _board()
    user = await sync_to_async(UserFactory)()
    sockets, _frames = await _crowd(challenge.pk, [None] * 10 + [user])
    try:
        # The ten signed-out sockets share one lookup; a signed-in viewer has their own.
        assert sorted(looked_up) == [(challenge.pk, False), (challenge.pk, True)]
    finally:
        await _close(sockets)

    hidden = await sync_to_async(ChallengeFactory)(is_published=False)
    closed = []
    for _ in range(3):
        ws = WebsocketCommunicator(app, f"/ws/boards/{hidden.pk}/")
        ws.scope["user"] = AnonymousUser()
        await ws.connect()
        closed.append((await ws.receive_output(timeout=5))["code"])
        await ws.disconnect()
    assert closed == [4403, 4403, 4403]
