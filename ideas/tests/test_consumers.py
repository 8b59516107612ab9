"""The live board: snapshot, events in sequence, writes through the actions, bad input."""

import json

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from community.tests.factories import PersonaFactory, UserFactory
from ideas import actions
from ideas.models import Comment, Idea, Vote
from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory, citizen
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


async def _connect(challenge_id, user=None, query=""):
    ws = WebsocketCommunicator(app, f"/ws/boards/{challenge_id}/{query}")
    ws.scope["user"] = user or AnonymousUser()
    connected, _ = await ws.connect()
    assert connected
    snapshot = await ws.receive_json_from(timeout=10)
    assert snapshot["type"] == "snapshot"
    return ws, snapshot


@sync_to_async
def _board(ideas=2):
    challenge = ChallengeFactory()
    made = [IdeaFactory(challenge=challenge) for _ in range(ideas)]
    return challenge, made


async def test_snapshot_holds_the_first_page_with_counts_and_the_viewers_support():
    challenge, (first, second) = await _board()
    viewer = await sync_to_async(UserFactory)()
    await sync_to_async(actions.vote_cast)(user=viewer, idea=second)
    ws, snapshot = await _connect(challenge.pk, viewer, "?sort=top")
    try:
        data = snapshot["data"]
        assert snapshot["stream"] == f"board:{challenge.pk}"
        assert snapshot["seq"] == 1  # one event (the vote) already sent on this board
        assert data["challenge"]["phase"] == "open"
        assert data["sort"] == "top" and data["total"] == 2
        assert [i["id"] for i in data["ideas"]] == [second.pk, first.pk]
        assert data["ideas"][0]["support_count"] == 1
        assert data["viewer"] == {"authenticated": True, "supported": [second.pk]}
    finally:
        await ws.disconnect()


@override_settings(IDEAS={"BOARD_PAGE_SIZE": 3})
async def test_snapshot_size_is_bounded_by_the_page_size():
    challenge, _ = await _board(ideas=5)
    ws, snapshot = await _connect(challenge.pk)
    try:
        assert len(snapshot["data"]["ideas"]) == 3
        assert snapshot["data"]["total"] == 5
    finally:
        await ws.disconnect()


async def test_viewer_sees_another_users_vote_with_the_exact_count_in_sequence():
    challenge, (idea, _) = await _board()
    ws, snapshot = await _connect(challenge.pk)
    try:
        voters = [await sync_to_async(UserFactory)() for _ in range(2)]
        for voter in voters:
            await sync_to_async(actions.vote_cast)(user=voter, idea=idea)
        frames = [await ws.receive_json_from() for _ in range(2)]
        assert [f["type"] for f in frames] == ["idea.vote_changed"] * 2
        assert [f["id"] for f in frames] == [idea.pk, idea.pk]
        assert [f["data"]["support_count"] for f in frames] == [1, 2]
        assert [f["seq"] for f in frames] == [snapshot["seq"] + 1, snapshot["seq"] + 2]
    finally:
        await ws.disconnect()


async def test_vote_over_the_socket_uses_the_service_acks_and_reaches_everyone():
    challenge, (idea, _) = await _board()
    user = await sync_to_async(UserFactory)()
    voter, _ = await _connect(challenge.pk, user)
    watcher, _ = await _connect(challenge.pk)
    try:
        await voter.send_json_to({"type": "vote", "idea": idea.pk, "ref": "a1"})
        frames = [await voter.receive_json_from() for _ in range(2)]
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack == {
            "type": "ack",
            "action": "vote",
            "ref": "a1",
            "result": {"idea": idea.pk, "supported": True, "support_count": 1},
        }
        seen = await watcher.receive_json_from()
        assert (seen["type"], seen["data"]) == ("idea.vote_changed", {"support_count": 1})

        # A second tab of the same account: refused, nothing changes, nothing broadcast.
        await voter.send_json_to({"type": "vote", "idea": idea.pk, "ref": "a2"})
        error = await voter.receive_json_from()
        assert error["type"] == "error" and error["ref"] == "a2"
        assert error["message"] == "You already support this idea."
        assert await watcher.receive_nothing(timeout=0.2)
        assert await sync_to_async(Vote.objects.filter(idea=idea).count)() == 1

        await voter.send_json_to({"type": "unvote", "idea": idea.pk, "ref": "a3"})
        frames = [await voter.receive_json_from() for _ in range(2)]
        ack = next(f for f in frames if f["type"] == "ack")
        assert ack["result"] == {"idea": idea.pk, "supported": False, "support_count": 0}
    finally:
        await voter.disconnect()
        await watcher.disconnect()


async def test_voting_on_ones_own_idea_over_the_socket_gets_the_same_refusal_as_the_form():
    challenge, (idea, _) = await _board()
    author = await sync_to_async(lambda: idea.persona.account)()
    ws, _ = await _connect(challenge.pk, author)
    try:
        await ws.send_json_to({"type": "vote", "idea": idea.pk})
        error = await ws.receive_json_from()
        assert error["code"] == "forbidden"
        assert "own idea" in error["message"]
    finally:
        await ws.disconnect()


async def test_comment_over_the_socket_is_sanitised_and_broadcast():
    challenge, (idea, _) = await _board()
    user, persona = await sync_to_async(citizen)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_json_to(
            {"type": "comment", "idea": idea.pk, "body": "Yes *please*\n\nhttps://example.org"}
        )
        frames = [await ws.receive_json_from() for _ in range(2)]
        event = next(f for f in frames if f["type"] == "comment.created")
        assert event["data"]["comment_count"] == 1
        assert event["data"]["comment"]["persona"]["name"] == persona.display_name
        assert 'rel="nofollow ugc noopener"' in event["data"]["comment"]["body_html"]
        await ws.send_json_to({"type": "comment", "idea": idea.pk, "body": "<script>x()</script>"})
        error = await ws.receive_json_from()
        assert error["code"] == "invalid"
        assert await sync_to_async(Comment.objects.count)() == 1
    finally:
        await ws.disconnect()


async def test_reply_to_a_comment_on_another_idea_is_not_found():
    challenge, (idea, other) = await _board()
    elsewhere = await sync_to_async(CommentFactory)(idea=other)
    user, _ = await sync_to_async(citizen)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_json_to(
            {"type": "comment", "idea": idea.pk, "body": "Hi", "parent": elsewhere.pk}
        )
        assert (await ws.receive_json_from())["code"] == "not_found"
    finally:
        await ws.disconnect()


@pytest.mark.parametrize(
    "message",
    [
        {"type": "vote", "idea": 1},
        {"type": "unvote", "idea": 1},
        {"type": "comment", "idea": 1, "body": "hello"},
    ],
)
async def test_anonymous_writes_are_refused_with_auth_required(message):
    challenge, (idea, _) = await _board()
    ws, _ = await _connect(challenge.pk)
    try:
        await ws.send_json_to({**message, "idea": idea.pk})
        error = await ws.receive_json_from()
        assert (error["type"], error["code"]) == ("error", "auth_required")
        assert await ws.receive_nothing(timeout=0.1)
    finally:
        await ws.disconnect()
    assert await sync_to_async(Vote.objects.count)() == 0
    assert await sync_to_async(Comment.objects.count)() == 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "malformed"),
        ('"vote"', "malformed"),
        ('{"type": "delete_everything"}', "unknown_type"),
        ('{"type": "vote"}', "invalid"),
        ('{"type": "vote", "idea": "7"}', "invalid"),
        ('{"type": "vote", "idea": -1}', "invalid"),
        ('{"type": "vote", "idea": 1, "account": 2}', "invalid"),
        ('{"type": "comment", "idea": 1, "body": ""}', "invalid"),
        ('{"type": "vote", "idea": 999999}', "not_found"),
    ],
)
async def test_malformed_or_unknown_messages_get_an_error_code_and_change_nothing(raw, code):
    challenge, _ = await _board()
    user = await sync_to_async(UserFactory)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_to(text_data=raw)
        error = await ws.receive_json_from()
        assert (error["type"], error["code"]) == ("error", code)
        assert error["message"]
    finally:
        await ws.disconnect()
    assert await sync_to_async(Vote.objects.count)() == 0


async def test_voting_on_an_idea_of_another_board_is_not_found():
    challenge, _ = await _board()
    _, (elsewhere, _) = await _board()
    user = await sync_to_async(UserFactory)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_json_to({"type": "vote", "idea": elsewhere.pk})
        assert (await ws.receive_json_from())["code"] == "not_found"
    finally:
        await ws.disconnect()


async def test_unknown_board_is_closed_not_found_and_unpublished_is_forbidden():
    async def close_code(path: str) -> int:
        ws = WebsocketCommunicator(app, path)
        ws.scope["user"] = AnonymousUser()
        try:
            await ws.connect()
            closed = await ws.receive_output(timeout=1)
            assert closed["type"] == "websocket.close"
            return closed["code"]
        finally:
            await ws.disconnect()

    assert await close_code("/ws/boards/987654/") == 4404
    hidden = await sync_to_async(ChallengeFactory)(is_published=False)
    assert await close_code(f"/ws/boards/{hidden.pk}/") == 4403


async def test_no_frame_reveals_the_account_or_its_other_personas():
    challenge = await sync_to_async(ChallengeFactory)()

    @sync_to_async
    def author_with_two_faces():
        user, public = citizen(display_name="Riverside Parent")
        PersonaFactory(account=user, is_primary=False, display_name="Secret Second Face")
        return user, public

    author, public = await author_with_two_faces()
    viewer = await sync_to_async(UserFactory)()
    ws, _ = await _connect(challenge.pk, viewer)
    try:
        idea = await sync_to_async(actions.idea_create)(
            user=author, challenge=challenge, persona=public, title="Night buses", body="Please"
        )
        await sync_to_async(actions.comment_create)(
            user=author, idea=idea, persona=public, body="More detail"
        )
        other = await sync_to_async(IdeaFactory)(challenge=challenge)
        await sync_to_async(actions.vote_cast)(user=author, idea=other, persona=public)
        frames = [await ws.receive_output() for _ in range(3)]
        await ws.send_json_to({"type": "resync"})
        frames.append(await ws.receive_output())
        texts = [f["text"] for f in frames]
        assert [json.loads(t)["type"] for t in texts] == [
            "idea.created",
            "comment.created",
            "idea.vote_changed",
            "snapshot",
        ]
        for text in texts:
            assert "Secret Second Face" not in text
            assert author.email not in text
            assert author.username not in text
            assert '"account' not in text
        assert "Riverside Parent" in texts[0] and "Riverside Parent" in texts[3]
    finally:
        await ws.disconnect()
    assert await sync_to_async(Idea.objects.count)() == 2


async def test_a_comment_over_the_limit_is_refused_with_the_limit_named():
    """6,000 characters: the schema refuses it, and the person is told the limit (not "The
    message is not valid."); 50,000: too large to read, yet answered under its ref, so the
    form that sent it can show the error and be used again."""
    from ideas.models import COMMENT_MAX

    challenge, (idea, _) = await _board()
    user, _ = await sync_to_async(citizen)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_to(
            text_data=json.dumps(
                {"ref": "r1", "type": "comment", "idea": idea.pk, "body": "a" * 6000}
            )
        )
        error = await ws.receive_json_from()
        assert error["code"] == "invalid" and error["ref"] == "r1"
        assert f"at most {COMMENT_MAX} characters" in error["message"]
        assert "6000" in error["message"]
        await ws.send_to(
            text_data=json.dumps(
                {"ref": "r2", "type": "comment", "idea": idea.pk, "body": "a" * 50000}
            )
        )
        error = await ws.receive_json_from()
        assert error["code"] == "too_large" and error["ref"] == "r2"
        assert "too long" in error["message"]
        assert await sync_to_async(Comment.objects.count)() == 0
    finally:
        await ws.disconnect()


@pytest.mark.parametrize(
    ("body", "why"),
    [("a\u0000b", "null"), ("a\ud800b", "surrogate"), ("bell\u0007", "control")],
)
async def test_comment_with_unstorable_characters_is_invalid_naming_the_field(body, why):
    challenge, (idea, _) = await _board()
    user, _persona = await sync_to_async(citizen)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        # json.dumps escapes the lone surrogate as "\ud800", as a hostile client would send it.
        await ws.send_to(
            text_data=json.dumps({"type": "comment", "idea": idea.pk, "body": body, "ref": "c1"})
        )
        error = await ws.receive_json_from(timeout=20)
        assert error["type"] == "error"
        assert error["code"] == "invalid"
        assert error["ref"] == "c1"
        assert set(error["fields"]) == {"body"}
        assert "cannot be saved" in error["fields"]["body"]
        assert await sync_to_async(Comment.objects.count)() == 0
    finally:
        await ws.disconnect()


async def test_deeply_nested_message_is_invalid_and_the_socket_stays_open():
    challenge, (idea, _) = await _board()
    user, _persona = await sync_to_async(citizen)()
    ws, _ = await _connect(challenge.pk, user)
    try:
        await ws.send_to(text_data="[" * 10_000)  # 10 KB, under the frame limit
        error = await ws.receive_json_from(timeout=10)
        assert error["code"] == "invalid"
        assert "nested" in error["fields"]["message"]
        nested = {"type": "comment", "idea": idea.pk, "body": "x", "parent": [[[[]]]] * 1}
        for _level in range(40):
            nested["parent"] = [nested["parent"]]
        await ws.send_json_to(nested)
        error = await ws.receive_json_from(timeout=10)
        assert error["code"] == "invalid"
        # Still open and working.
        await ws.send_json_to({"type": "comment", "idea": idea.pk, "body": "Still here"})
        frames = [await ws.receive_json_from(timeout=10) for _ in range(2)]
        assert {f["type"] for f in frames} == {"comment.created", "ack"}
    finally:
        await ws.disconnect()
