"""Websocket limits seen through the real ASGI stack (config.asgi): origin checking and
read-only anonymous connections on every live stream. Rate, size and per-account limits are
proven in realtime/tests/test_consumers.py."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from realtime.consumers import LiveConsumer
from realtime.routing import websocket_urlpatterns

# Actions anonymous visitors may send. Everything else must require sign-in.
ANONYMOUS_ACTIONS = {("HealthConsumer", "ping")}

# Co-design sessions let named GUESTS take part without an account when the facilitator allows
# it (ideas/codesign/permissions.py, guests.py): joining by name on the no-JS join page stores
# a random guest key in the visitor's signed, HTTP-only Django session, and the consumer finds
# the participant by it. So these actions are not behind sign-in; instead each one needs the
# sender to have JOINED (account or guest key), which test_co_design_guest_actions_need_a_
# joined_participant proves for a visitor with neither. Facilitating and joining by persona
# still require sign-in.
GUEST_REASON = "co-design participant action: a joined named guest (signed guest key) may"
GUEST_ACTIONS = {
    ("SessionConsumer", name): GUEST_REASON
    for name in (
        "note_add",
        "note_edit",
        "note_move",
        "note_delete",
        "group_add",
        "group_rename",
        "group_delete",
        "vote",
        "unvote",
        "typing",
    )
}


def _consumers():
    return [pattern.callback.consumer_class for pattern in websocket_urlpatterns]


@pytest.mark.django_db(transaction=True)
async def test_a_socket_from_another_origin_is_refused():
    ws = WebsocketCommunicator(
        application, "/ws/health/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await ws.connect()
    assert not connected
    await ws.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_from_the_sites_own_origin_is_accepted():
    ws = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )
    connected, _ = await ws.connect()
    try:
        assert connected
        assert (await ws.receive_json_from())["type"] == "snapshot"
    finally:
        await ws.disconnect()


def test_every_write_action_on_every_stream_requires_sign_in():
    open_actions = {
        (consumer.__name__, name)
        for consumer in _consumers()
        if issubclass(consumer, LiveConsumer)
        for name, action in consumer.actions.items()
        if not action.requires_auth
    }
    assert open_actions == ANONYMOUS_ACTIONS | set(GUEST_ACTIONS), (
        "A websocket action is open to anonymous visitors. Anonymous connections are read-only: "
        "set requires_auth=True, or justify it in ANONYMOUS_ACTIONS (or GUEST_ACTIONS for a "
        "co-design participant action that checks the sender has joined)."
    )


def _guest_payloads(note, group) -> dict[str, dict]:
    return {
        "note_add": {"text": "Timetables I can read"},
        "note_edit": {"note": note.pk, "version": note.version, "text": "Changed"},
        "note_move": {"note": note.pk, "version": note.version, "group": group.pk},
        "note_delete": {"note": note.pk, "version": note.version},
        "group_add": {"name": "Reliability"},
        "group_rename": {"group": group.pk, "name": "Renamed", "version": group.version},
        "group_delete": {"group": group.pk, "version": group.version},
        "vote": {"group": group.pk},
        "unvote": {"group": group.pk},
        "typing": {"typing": True},
    }


@pytest.fixture
def open_session_with_a_note(db):
    from ideas.codesign.models import NoteGroup, Phase
    from ideas.codesign.tests.factories import NoteFactory, SessionFactory

    session = SessionFactory(allow_guests=True, phase=Phase.DIVERGE)
    note = NoteFactory(session=session)
    group = NoteGroup.objects.create(session=session, name="Buses")
    return session, note, group


def _board(session) -> tuple:
    from ideas.codesign.models import Dot, Note, NoteGroup

    notes = sorted(Note.objects.filter(session=session).values_list("pk", "text", "group_id"))
    groups = sorted(NoteGroup.objects.filter(session=session).values_list("pk", "name"))
    return notes, groups, Dot.objects.filter(group__session=session).count()


@pytest.mark.django_db(transaction=True)
async def test_co_design_guest_actions_need_a_joined_participant(open_session_with_a_note):
    """A visitor with no account and no guest key may watch, but every guest action is
    refused with ``not_joined`` and the board does not change."""
    from channels.db import database_sync_to_async
    from django.contrib.auth.models import AnonymousUser

    from ideas.codesign.tests.live import LiveClient

    session, note, group = open_session_with_a_note
    before = await database_sync_to_async(_board)(session)
    visitor = LiveClient(session.pk, AnonymousUser(), {})
    await visitor.connect()
    try:
        for (_consumer, name), _reason in GUEST_ACTIONS.items():
            frame = await visitor.send(name, **_guest_payloads(note, group)[name])
            assert (frame["type"], frame.get("code")) == ("error", "not_joined"), (name, frame)
    finally:
        await visitor.disconnect()
    assert await database_sync_to_async(_board)(session) == before


@pytest.mark.django_db(transaction=True)
async def test_a_joined_guest_adds_notes_but_may_not_facilitate(open_session_with_a_note):
    from channels.db import database_sync_to_async
    from django.contrib.auth.models import AnonymousUser

    from ideas.codesign import actions
    from ideas.codesign.tests.live import LiveClient

    session, _note, _group = open_session_with_a_note
    guest = await database_sync_to_async(actions.participant_join)(
        user=None, session=session, guest_name="Gwen"
    )
    gwen = LiveClient(
        session.pk, AnonymousUser(), {"codesign.guests": {str(session.pk): guest.guest_key}}
    )
    await gwen.connect()
    try:
        assert "note" in await gwen.ok("note_add", text="Timetables I can read")
        for name, payload in {
            "phase": {"to": "next", "version": session.version},
            "reveal": {"version": session.version},
            "remove": {"participant": guest.pk},
        }.items():
            frame = await gwen.send(name, **payload)
            assert (frame["type"], frame.get("code")) == ("error", "auth_required"), (name, frame)
    finally:
        await gwen.disconnect()


def test_every_live_stream_uses_the_limited_base_consumer():
    assert all(issubclass(consumer, LiveConsumer) for consumer in _consumers())


def test_a_web_process_hands_the_gil_over_at_the_configured_interval():
    """config.asgi applies REALTIME["SWITCH_INTERVAL_MS"] (docs/performance.md, co-design)."""
    import sys

    from django.conf import settings

    assert settings.REALTIME["SWITCH_INTERVAL_MS"] == 1.0
    assert sys.getswitchinterval() == pytest.approx(settings.REALTIME["SWITCH_INTERVAL_MS"] / 1000)


def test_a_web_process_writes_autobahn_log_arguments_plainly():
    """config.asgi stops autobahn colouring debug-log arguments for every frame it sends."""
    import autobahn.util

    import config.asgi  # noqa: F401 - the web process's entry point

    assert autobahn.util.hl("frame", bold=True) == "frame"


def test_a_web_process_keeps_its_start_up_objects_out_of_full_collections():
    """config.asgi freezes what start-up built (docs/performance.md, co-design: 276 ms pauses)."""
    import gc

    import config.asgi  # noqa: F401 - the web process's entry point

    assert gc.get_freeze_count() > 10_000


def test_autobahn_formats_its_connect_debug_line_only_when_written():
    """config.asgi keeps autobahn from pretty-printing its options for every new socket
    (docs/performance.md, item 11); the text, when a line is written, is unchanged."""
    from pprint import pformat

    import autobahn.websocket.protocol as protocol

    import config.asgi  # noqa: F401 - the web process's entry point

    options = {"openHandshakeTimeout": 5, "autoPingInterval": 0}
    deferred = protocol.pformat(options)
    assert not isinstance(deferred, str)
    assert str(deferred) == f"{deferred}" == pformat(options)
    timings = protocol.Timings()
    timings.track("start")
    assert str(timings) == pformat(timings._timings)
