"""The cache on Redis through django-redis, and what it does while Redis is away.

``CACHES`` uses ``django_redis.cache.RedisCache`` with two of its documented extension
points (settings.py):

* ``CONNECTION_FACTORY`` = :class:`SharedClientConnectionFactory`. Django builds a cache
  backend object per request context (``caches`` is context-local), and each backend object
  builds its own django-redis client. django-redis keeps one connection pool per server per
  process already; this factory also keeps one ``redis.Redis`` per pool, instead of one per
  backend object (building one copies dozens of response callbacks into a fresh dictionary,
  about a tenth of a co-design action's CPU when it was done per call, docs/performance.md).
  redis-py's pool and client are thread-safe, reconnect broken connections by themselves and
  start afresh in a forked child.
* ``CLIENT_CLASS`` = :class:`FailSoftClient`, below.

Raw Redis access goes through ``django_redis.get_redis_connection()``.

**Redis unreachable.** Everything kept in the cache can be rebuilt: page fragments and whole
pages, version stamps, rate-limit and throttle counters (django-ratelimit, DRF, allauth), the
websocket connection counts. So while Redis cannot be reached the cache behaves as an empty
one that keeps nothing (:class:`FailSoftClient`): reads miss, writes are skipped, ``add``
succeeds and ``incr`` finds no key. No exception reaches a page, a form, the API or a
consumer; limits and throttles fail open (nothing is counted, so nothing is refused) and pages
are built from the database. One warning per :data:`WARN_EVERY` seconds per process says so.
After a failure the process does not try Redis again for :data:`RETRY_AFTER` seconds, so a
Redis that does not answer at all (a network cut rather than a refused connection) costs a
request at most one connect timeout (``SOCKET_CONNECT_TIMEOUT`` in settings), not one per
cache call. django-redis's own ``IGNORE_EXCEPTIONS`` (on in settings) covers the rest of its
API (``ttl``, ``lock``, sets…), which the site does not use; errors other than "cannot reach
Redis" (a bad value, Redis out of memory) still raise from the operations below.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from django_redis.pool import ConnectionFactory
from redis import ConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What "Redis cannot be reached" raises: refused, reset, timed out, still loading its data.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds a process leaves Redis alone after a failed call, and between two warnings.
RETRY_AFTER = 1.0
WARN_EVERY = 10.0


class SharedClientConnectionFactory(ConnectionFactory):
    """django-redis's connection factory with one pool *and one client* per server per
    process (see the module doc), created under a lock so two threads starting at once do
    not each build one."""

    _clients: ClassVar[dict[int, Redis]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def get_or_create_connection_pool(self, params: dict[str, Any]) -> ConnectionPool:
        key = params["url"]
        pool = self._pools.get(key)
        if pool is None:
            with self._lock:
                pool = self._pools.get(key)
                if pool is None:
                    pool = self._pools[key] = self.get_connection_pool(params)
        return pool

    def get_connection(self, params: dict[str, Any]) -> Redis:
        pool = self.get_or_create_connection_pool(params)
        client = self._clients.get(id(pool))
        if client is None:
            with self._lock:
                client = self._clients.get(id(pool))
                if client is None:
                    client = self._clients[id(pool)] = self.redis_client_cls(
                        connection_pool=pool, **self.redis_client_cls_kwargs
                    )
        return client


def _key_missing(args: tuple, kwargs: dict) -> Any:
    key = args[0] if args else kwargs.get("key")
    raise ValueError(f"Key {key!r} not found (cache unreachable).")


# What each operation answers while Redis is unreachable: what an empty cache would.
_EMPTY: dict[str, Callable[[tuple, dict], Any]] = {
    "get": lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"),
    # ``add`` is ``set(nx=True)`` in django-redis: an empty cache accepts the new key.
    "set": lambda args, kwargs: bool(kwargs.get("nx")),
    "add": lambda args, kwargs: True,
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "incr": _key_missing,
    "decr": _key_missing,
    "set_many": lambda args, kwargs: None,
    "delete_many": lambda args, kwargs: 0,
    "clear": lambda args, kwargs: None,
}


def _unreachable(exc: Exception) -> bool:
    if isinstance(exc, ConnectionInterrupted):
        return isinstance(exc.__cause__, UNREACHABLE)
    return isinstance(exc, UNREACHABLE)


def _fail_soft(name: str) -> Callable[..., Any]:
    parent = getattr(DefaultClient, name)
    empty = _EMPTY[name]

    def operation(self: FailSoftClient, *args: Any, **kwargs: Any) -> Any:
        if not self.reachable():
            return empty(args, kwargs)
        try:
            return parent(self, *args, **kwargs)
        except (ConnectionInterrupted, *UNREACHABLE) as exc:
            if not _unreachable(exc):
                # Not an outage (Redis answered with an error): raise it as it is, past
                # IGNORE_EXCEPTIONS, which would otherwise hide it.
                if isinstance(exc, ConnectionInterrupted) and exc.__cause__ is not None:
                    raise exc.__cause__ from None
                raise
            self._failed(name, exc)
            return empty(args, kwargs)

    operation.__name__ = name
    operation.__doc__ = parent.__doc__
    return operation


class FailSoftClient(DefaultClient):
    """django-redis's client that treats an unreachable Redis as an empty cache (see the
    module doc): ``get`` answers the default, ``get_many`` nothing, ``add`` True, ``incr``
    ``ValueError`` (no such key); writes keep nothing."""

    _down_until: ClassVar[dict[int, float]] = {}
    _warned_at: ClassVar[float] = 0.0

    def _pool_id(self) -> int:
        return id(self.get_client(write=True).connection_pool)

    def reachable(self) -> bool:
        """False for :data:`RETRY_AFTER` seconds after a call found Redis unreachable."""
        return time.monotonic() >= self._down_until.get(self._pool_id(), 0)

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        self._down_until[self._pool_id()] = now + RETRY_AFTER
        if now - FailSoftClient._warned_at >= WARN_EVERY:
            FailSoftClient._warned_at = now
            logger.warning(
                "cache unreachable: treating Redis as empty (reads miss, writes skipped, "
                "rate limits not counted)",
                extra={"operation": operation, "error": str(exc.__cause__ or exc)},
            )

    get = _fail_soft("get")
    set = _fail_soft("set")
    add = _fail_soft("add")
    touch = _fail_soft("touch")
    delete = _fail_soft("delete")
    get_many = _fail_soft("get_many")
    has_key = _fail_soft("has_key")
    incr = _fail_soft("incr")
    decr = _fail_soft("decr")
    set_many = _fail_soft("set_many")
    delete_many = _fail_soft("delete_many")
    clear = _fail_soft("clear")


def redis_cache(url: str, *, key_prefix: str) -> dict[str, Any]:
    """The ``CACHES`` entry for the Redis at ``url`` (settings, and tests that point the cache
    at a Redis of their own)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "CLIENT_CLASS": "config.cache.FailSoftClient",
            "CONNECTION_FACTORY": "config.cache.SharedClientConnectionFactory",
            # A Redis that does not answer at all costs a request at most this (seconds).
            "SOCKET_CONNECT_TIMEOUT": 1,
            # A pooled connection that Redis dropped (a restart) is reconnected and the
            # command tried once more, instead of failing once per pooled connection after
            # every restart (which lost realtime events published just after Redis returned:
            # make faults); once, so a network cut costs one more connect timeout, not more.
            "CONNECTION_POOL_KWARGS": {"retry": Retry(NoBackoff(), 1)},
            # The rest of django-redis's API (not the operations FailSoftClient answers) also
            # fails open while Redis is away.
            "IGNORE_EXCEPTIONS": True,
        },
    }
