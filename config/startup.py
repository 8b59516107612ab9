"""Start-up checks: an unreachable database or Redis gives one clear line, not a traceback.

``manage.py`` and ``config.asgi`` call :func:`check_services` before serving. The message names
the environment variable and the address (password hidden) so an operator knows what to fix.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from config.env import describe_url

CONNECT_TIMEOUT_SECONDS = 3


class ServiceUnavailable(Exception):
    pass


def _address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return parts.path or url
    return f"{parts.hostname}:{parts.port or ''}".rstrip(":")


def check_database() -> None:
    """One direct connection, bypassing the pool (which would retry quietly for its timeout)."""
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    if connection.vendor == "sqlite":
        return
    import psycopg

    params = connection.get_connection_params()
    params["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    try:
        psycopg.connect(**params).close()
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ServiceUnavailable(
            f"cannot reach the database at DATABASE_URL={describe_url(settings.DATABASE_URL)} "
            f"({_address(settings.DATABASE_URL)}): {reason}"
        ) from None


def check_redis() -> None:
    from django.conf import settings

    if not settings.REDIS_URL:
        return
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        client.ping()
        client.close()
    except redis.RedisError as exc:
        raise ServiceUnavailable(
            f"cannot reach Redis at REDIS_URL={describe_url(settings.REDIS_URL)} "
            f"({_address(settings.REDIS_URL)}): {exc}"
        ) from None


def check_services() -> None:
    """Exit with one line on stderr if a configured backing service cannot be reached."""
    from django.conf import settings

    if not settings.STARTUP_CHECK:
        return
    try:
        check_database()
        check_redis()
    except ServiceUnavailable as exc:
        sys.stderr.write(f"start-up error: {exc}\n")
        raise SystemExit(3) from None


def build_url_tables() -> None:
    """Build the URL resolver's reverse tables, for every language, before the first request.

    Django builds them on the first ``reverse()`` (a link, a redirect, a search entry's
    address), while a request waits: 0.24 s of a fresh web process's CPU, 14 % of the first
    2.4 s when 2,000 viewers open a board just after a deploy (docs/performance.md). Built
    here, they are also frozen with the other start-up objects (``config.asgi``).

    In a thread of its own: activating each language leaves a translation active in the
    thread that did it, and in the server's main thread that made every ``sync_to_async``
    call carry it back and forth (Channels' per-message hop cost four times as much)."""
    import threading

    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    def build() -> None:
        resolver = get_resolver()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                resolver.reverse_dict  # noqa: B018 - reading it builds this language's tables

    builder = threading.Thread(target=build, name="url-tables")
    builder.start()
    builder.join()
