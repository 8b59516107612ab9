"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sequence numbers and rate limits live in the cache: start each test clean.

    On Redis only this run's prefixed keys are removed (never FLUSHDB: the channel layer and
    other runs share the server).
    """
    from django.core.cache import cache
    from django_redis import get_redis_connection
    from django_redis.cache import RedisCache

    if isinstance(cache, RedisCache):
        client = get_redis_connection("default")
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates,
    nothing deactivates): later tests calling services directly then read Spanish messages.
    Every test ends back in the default language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a service and run what it does after commit, as in production: realtime events,
    and the version stamps cached pages key on (community.versions). A test's own
    transaction never commits, so without this those never happen."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
