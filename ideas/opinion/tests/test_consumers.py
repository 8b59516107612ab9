"""The live map: who may follow it, its snapshot, and a vote reaching an open map (the
recompute task run inline by the test settings' immediate backend); and the board's
``seen`` reports, which only ever record ideas the board shows."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from community.models import Role
from community.tests.factories import UserFactory, staff
from ideas import actions as idea_actions
from ideas.opinion.models import BoardImpression, OpinionMap
from ideas.opinion.tests.factories import planted_board
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


def _ws(path, user):
    ws = WebsocketCommunicator(app, path)
    ws.scope["user"] = user
    return ws


async def test_only_the_agencys_staff_may_follow_a_boards_map():
    challenge = await sync_to_async(ChallengeFactory)()
    for user, path, code in (
        (AnonymousUser(), f"/ws/opinion/board/{challenge.pk}/", 4403),
        (await sync_to_async(UserFactory)(), f"/ws/opinion/board/{challenge.pk}/", 4403),
        (await sync_to_async(UserFactory)(), "/ws/opinion/board/999999/", 4403),
        (await sync_to_async(UserFactory)(), f"/ws/opinion/nothing/{challenge.pk}/", 4404),
    ):
        ws = _ws(path, user)
        try:
            connected, _ = await ws.connect(timeout=10)
            assert connected
            assert await ws.receive_output(timeout=10) == {"type": "websocket.close", "code": code}
        finally:
            await ws.disconnect()


@sync_to_async
def _board():
    challenge, ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    voter, _persona = citizen()
    BoardImpression.objects.create(user=voter, challenge=challenge, ideas=[i.pk for i in ideas])
    return challenge, ideas, voter, staff(Role.SERVICE_DESIGNER, challenge.agency)


async def test_a_vote_reaches_an_open_map_within_five_seconds():
    challenge, ideas, voter, designer = await _board()
    ws = _ws(f"/ws/opinion/board/{challenge.pk}/", designer)
    try:
        await ws.connect(timeout=10)
        snapshot = await ws.receive_json_from(timeout=10)
        assert (
            snapshot["type"] == "snapshot" and snapshot["stream"] == f"opinion:board-{challenge.pk}"
        )
        assert snapshot["data"]["status"] == "pending"
        await sync_to_async(idea_actions.vote_cast)(user=voter, idea=ideas[0])
        event = await ws.receive_json_from(timeout=5)
        assert event["type"] == "opinion.map" and event["id"] == challenge.pk
        stored = await sync_to_async(OpinionMap.objects.get)(subject_id=challenge.pk)
        assert event["data"] == {
            "kind": "board",
            "subject": challenge.pk,
            "status": "ready",
            "computed_at": stored.computed_at.isoformat(),
            "version": stored.votes_seen,
        }
        assert stored.result["enough"] and len(stored.result["groups"]) >= 2
    finally:
        await ws.disconnect()


async def _board_socket(challenge, user):
    ws = _ws(f"/ws/boards/{challenge.pk}/", user)
    await ws.connect(timeout=10)
    await ws.receive_json_from(timeout=10)  # snapshot
    return ws


async def test_seen_reports_keep_only_ideas_the_board_shows():
    challenge = await sync_to_async(ChallengeFactory)()
    shown = await sync_to_async(IdeaFactory)(challenge=challenge)
    elsewhere = await sync_to_async(IdeaFactory)()
    merged = await sync_to_async(IdeaFactory)(challenge=challenge, merged_into=shown)
    user, _persona = await sync_to_async(citizen)()
    ws = await _board_socket(challenge, user)
    try:
        await ws.send_json_to(
            {"type": "seen", "ref": "s1", "ideas": [shown.pk, elsewhere.pk, merged.pk]}
        )
        ack = await ws.receive_json_from(timeout=10)
        assert ack == {
            "type": "ack",
            "action": "seen",
            "ref": "s1",
            "result": {"recorded": 1, "new": 1},
        }
        row = await sync_to_async(BoardImpression.objects.get)(user=user)
        assert row.ideas == [shown.pk] and row.challenge_id == challenge.pk
    finally:
        await ws.disconnect()


async def test_seen_reports_need_sign_in_a_valid_batch_and_a_moderate_rate(settings):
    challenge = await sync_to_async(ChallengeFactory)()
    idea = await sync_to_async(IdeaFactory)(challenge=challenge)
    ws = await _board_socket(challenge, AnonymousUser())
    try:
        await ws.send_json_to({"type": "seen", "ref": "a", "ideas": [idea.pk]})
        assert (await ws.receive_json_from(timeout=10))["code"] == "auth_required"
    finally:
        await ws.disconnect()
    user, _persona = await sync_to_async(citizen)()
    ws = await _board_socket(challenge, user)
    try:
        for bad in ([], ["x"], [idea.pk, idea.pk], list(range(1, 102))):
            await ws.send_json_to({"type": "seen", "ref": "b", "ideas": bad})
            assert (await ws.receive_json_from(timeout=10))["code"] == "invalid", bad
        codes = []
        for n in range(8):
            await ws.send_json_to({"type": "seen", "ref": f"r{n}", "ideas": [idea.pk]})
            codes.append((await ws.receive_json_from(timeout=10)).get("code", "ack"))
        assert codes[:5] == ["ack"] * 5 and "rate_limited" in codes
    finally:
        await ws.disconnect()
    assert await sync_to_async(BoardImpression.objects.filter(user=user).count)() == 1
