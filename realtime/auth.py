"""``scope["user"]`` for websockets, without a thread hop for sockets that carry no session.

Channels' ``AuthMiddlewareStack`` resolves the user of *every* socket through
``database_sync_to_async`` — a hop through Django's one database thread — even when the
request has no session cookie and the answer can only be ``AnonymousUser``. In a connect
storm of anonymous viewers (a popular public board) those hops queue up behind each other
until daphne's handshake timeout expires (docs/performance.md, ``connect_storm``). This stack
answers ``AnonymousUser`` at once when there is no session cookie and otherwise does exactly
what Channels does.
"""

from __future__ import annotations

from channels.auth import AuthMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


class SessionAwareAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope) -> None:
        if not scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME):
            scope["user"]._wrapped = AnonymousUser()
            return
        await super().resolve_scope(scope)


def AuthMiddlewareStack(inner):
    return CookieMiddleware(SessionMiddleware(SessionAwareAuthMiddleware(inner)))
