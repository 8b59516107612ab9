"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sequence numbers and rate limits live in the cache: start each test clean.

    On Redis only this run's prefixed keys are removed (never FLUSHDB: the channel layer and
    other runs share the server).
    """
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    yield
