"""``scope["user"]`` for websockets, without a thread hop for sockets that carry no session.

Channels' ``AuthMiddlewareStack`` resolves the user of *every* socket through
``database_sync_to_async`` — a hop through Django's one database thread — even when the
request has no session cookie and the answer can only be ``AnonymousUser``. In a connect
storm of anonymous viewers (a popular public board) those hops queue up behind each other
until daphne's handshake timeout expires (docs/performance.md, ``connect_storm``). This stack
answers ``AnonymousUser`` at once when there is no session cookie and otherwise does exactly
what Channels does.

Its session wrapper also stands between every frame a socket sends and daphne: Channels'
``InstanceSessionWrapper.send`` reads the lazy session's ``modified`` and ``is_empty()`` for
each message, although only ``http.response.start`` ever saves a session or sets its cookie.
On a busy co-design board that was 9% of the event loop's time
(docs/performance.md); :class:`SocketSessionMiddleware` passes other messages straight on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, InstanceSessionWrapper, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


class SessionAwareAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope: dict[str, Any]) -> None:
        if not scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME):
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


class _SessionWrapper(InstanceSessionWrapper):
    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] not in self.save_message_types:  # never saves: nothing to check
            return await self.real_send(message)
        return await super().send(message)


class SocketSessionMiddleware(SessionMiddleware):
    """Channels' ``SessionMiddleware`` without the per-frame session checks (module doc)."""

    async def __call__(
        self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]
    ) -> Any:
        wrapper = _SessionWrapper(scope, send)
        await wrapper.resolve_session()
        return await self.inner(wrapper.scope, receive, wrapper.send)


def AuthMiddlewareStack(inner: Any) -> CookieMiddleware:
    return CookieMiddleware(SocketSessionMiddleware(SessionAwareAuthMiddleware(inner)))
