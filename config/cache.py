"""The cache's Redis connections, shared by every request of a process.

Django builds a cache backend object per request context (``caches`` is context-local), and
its Redis client builds a connection pool per backend object, so under ASGI every page view
that touched the cache opened a new Redis connection (a tenth of a cached board request in
py-spy, docs/performance.md). With ``OPTIONS["pool_class"]`` set to this class, a process
keeps one pool per server and every backend object uses it. redis-py's pool is thread-safe,
reconnects broken connections by itself and starts afresh in a forked child.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis import ConnectionPool

# Per-client identification redis-py is given; it does not change which server is used.
_IDENTITY = ("driver_info", "lib_name", "lib_version")


class SharedConnectionPool(ConnectionPool):
    _shared: ClassVar[dict[tuple, ConnectionPool]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> ConnectionPool:
        key = (url, *sorted((k, repr(v)) for k, v in kwargs.items() if k not in _IDENTITY))
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


class RedisCache(DjangoRedisCache):
    """Django's ``RedisCache`` with :class:`RedisCacheClient` (``CACHES`` ``BACKEND``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
