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
