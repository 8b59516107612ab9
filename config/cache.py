"""The cache's Redis connections, shared by every request of a process, and what the cache
does while Redis is away.

Django builds a cache backend object per request context (``caches`` is context-local), and
its Redis client builds a connection pool per backend object, so under ASGI every page view
that touched the cache opened a new Redis connection (a tenth of a cached board request in
py-spy, docs/performance.md). With ``OPTIONS["pool_class"]`` set to this class, a process
keeps one pool per server and every backend object uses it. redis-py's pool is thread-safe,
reconnects broken connections by itself and starts afresh in a forked child.

**Redis unreachable.** Everything kept in the cache can be rebuilt: page fragments and whole
pages, version stamps, rate-limit and throttle counters (django-ratelimit, DRF, allauth), the
websocket connection counts. So while Redis cannot be reached the cache behaves as an empty
one that keeps nothing (:class:`RedisCacheClient`): reads miss, writes are skipped, ``add``
succeeds and ``incr`` finds no key. No exception reaches a page, a form, the API or a
consumer; limits and throttles fail open (nothing is counted, so nothing is refused) and pages
are built from the database. One warning per :data:`WARN_EVERY` seconds per process says so.
After a failure the process does not try Redis again for :data:`RETRY_AFTER` seconds, so a
Redis that does not answer at all (a network cut rather than a refused connection) costs a
request at most one connect timeout (``OPTIONS`` in settings), not one per cache call.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, ClassVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import ConnectionPool
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Per-client identification redis-py is given; it does not change which server is used.
_IDENTITY = ("driver_info", "lib_name", "lib_version")
# What "Redis cannot be reached" raises: refused, reset, timed out, still loading its data.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds a process leaves Redis alone after a failed call, and between two warnings.
RETRY_AFTER = 1.0
WARN_EVERY = 10.0


class SharedConnectionPool(ConnectionPool):
    _shared: ClassVar[dict[tuple, ConnectionPool]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> ConnectionPool:
        key = (url, *sorted((k, repr(v)) for k, v in kwargs.items() if k not in _IDENTITY))
        # A pooled connection that Redis dropped (a restart) is reconnected and the command
        # tried once more, instead of failing once per pooled connection after every restart
        # (which lost realtime events published just after Redis returned: make faults).
        kwargs.setdefault("retry", Retry(NoBackoff(), 1))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
        return pool


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's Redis cache client, with one ``redis.Redis`` per connection pool.

    Django's builds a new ``redis.Redis`` (dozens of response callbacks copied into a fresh
    dictionary) for every cache call: about a tenth of a co-design action's CPU went to the
    one in its publish (docs/performance.md). A client holds no connection of its own and is
    safe to share between threads, so each pool keeps the one it was first given.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = getattr(pool, "_shared_client", None)
        if client is None:
            client = pool._shared_client = self._client(connection_pool=pool)
        return client


def _key_missing(key, delta):
    raise ValueError(f"Key {key!r} not found (cache unreachable).")


# What each operation answers while Redis is unreachable: what an empty cache would.
_EMPTY = {
    "add": lambda key, value, timeout: True,
    "get": lambda key, default: default,
    "set": lambda key, value, timeout: None,
    "touch": lambda key, timeout: False,
    "delete": lambda key: False,
    "get_many": lambda keys: {},
    "has_key": lambda key: False,
    "incr": _key_missing,
    "set_many": lambda data, timeout: None,
    "delete_many": lambda keys: None,
    "clear": lambda: False,
}


def _fail_soft(name: str):
    parent = getattr(RedisCacheClient, name)
    empty = _EMPTY[name]

    def operation(self, *args):
        if not self._reachable():
            return empty(*args)
        try:
            return parent(self, *args)
        except UNREACHABLE as exc:
            self._failed(name, exc)
            return empty(*args)

    operation.__name__ = name
    return operation


class FailSoftRedisCacheClient(RedisCacheClient):
    """:class:`RedisCacheClient` that treats an unreachable Redis as an empty cache (see the
    module doc): ``get`` answers the default, ``get_many`` nothing, ``add`` True, ``incr``
    ``ValueError`` (no such key); writes keep nothing. Errors other than "cannot reach
    Redis" (a bad value, Redis out of memory) still raise.
    """

    _down_until: ClassVar[dict[int, float]] = {}
    _warned_at: ClassVar[float] = 0.0

    def _reachable(self) -> bool:
        return time.monotonic() >= self._down_until.get(id(self._get_connection_pool(True)), 0)

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        self._down_until[id(self._get_connection_pool(True))] = now + RETRY_AFTER
        if now - FailSoftRedisCacheClient._warned_at >= WARN_EVERY:
            FailSoftRedisCacheClient._warned_at = now
            logger.warning(
                "cache unreachable: treating Redis as empty (reads miss, writes skipped, "
                "rate limits not counted)",
                extra={"operation": operation, "error": str(exc)},
            )

    add = _fail_soft("add")
    get = _fail_soft("get")
    set = _fail_soft("set")
    touch = _fail_soft("touch")
    delete = _fail_soft("delete")
    get_many = _fail_soft("get_many")
    has_key = _fail_soft("has_key")
    incr = _fail_soft("incr")
    set_many = _fail_soft("set_many")
    delete_many = _fail_soft("delete_many")
    clear = _fail_soft("clear")


class RedisCache(DjangoRedisCache):
    """Django's ``RedisCache`` with :class:`FailSoftRedisCacheClient` (``CACHES``
    ``BACKEND``): one client per pool, and an unreachable Redis is an empty cache."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
