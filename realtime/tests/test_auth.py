"""The websocket auth stack: the session's account, or anonymous at once without a cookie."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from community.tests.factories import UserFactory
from realtime.auth import AuthMiddlewareStack
from realtime.routing import websocket_urlpatterns

pytestmark = pytest.mark.django_db(transaction=True)

app = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))


def _session_cookie_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


async def _first_output(headers):
    ws = WebsocketCommunicator(app, "/ws/notifications/", headers=headers)
    await ws.connect(timeout=10)  # the first socket of a run also opens the Redis connections
    try:
        return await ws.receive_output(timeout=10)
    finally:
        await ws.disconnect()


async def test_a_socket_without_a_session_cookie_is_anonymous():
    closed = await _first_output([])
    assert closed["type"] == "websocket.close"
    assert closed["code"] == 4403  # the private stream refuses anonymous viewers


async def test_a_socket_with_an_unknown_session_is_anonymous():
    closed = await _first_output([(b"cookie", f"{settings.SESSION_COOKIE_NAME}=nope".encode())])
    assert closed["code"] == 4403


async def test_a_signed_in_session_reaches_its_private_stream():
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(_session_cookie_for)(user)
    frame = await _first_output([(b"cookie", cookie.encode())])
    assert frame["type"] == "websocket.send"
    assert '"type":"snapshot"' in frame["text"]


class _WatchedSession:
    """A session that records what is read of it."""

    def __init__(self, modified: bool) -> None:
        self.read: list[str] = []
        self._modified = modified
        self.saved = False

    @property
    def modified(self) -> bool:
        self.read.append("modified")
        return self._modified

    def is_empty(self) -> bool:
        self.read.append("is_empty")
        return False

    async def asave(self) -> None:
        self.saved = True

    def get_expire_at_browser_close(self) -> bool:
        return True

    session_key = "k"


async def _through_wrapper(message: dict, session: _WatchedSession) -> list[dict]:
    from realtime.auth import _SessionWrapper

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    wrapper = _SessionWrapper({"type": "websocket", "cookies": {}}, send)
    wrapper.scope["session"] = session
    await wrapper.send(message)
    return sent


async def test_frames_a_socket_sends_pass_without_reading_its_session():
    session = _WatchedSession(modified=True)
    frame = {"type": "websocket.send", "text": "{}"}
    assert await _through_wrapper(frame, session) == [frame]
    assert session.read == [] and not session.saved


async def test_a_response_start_still_saves_a_changed_session_as_channels_does():
    session = _WatchedSession(modified=True)
    sent = await _through_wrapper({"type": "http.response.start", "status": 200}, session)
    assert session.saved and "modified" in session.read
    assert sent[0]["type"] == "http.response.start"
