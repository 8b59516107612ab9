"""The cache's Redis connections are shared by a process's requests, and an unreachable Redis
is an empty cache that is left alone for a moment after each failure (config/cache.py)."""

from __future__ import annotations

import logging
import socket

import pytest
from django_redis.cache import RedisCache
from redis.exceptions import ResponseError

from config import cache as cache_module
from config.cache import FailSoftClient, redis_cache


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed on leaving: connections are refused


def _backend(url: str) -> RedisCache:
    """A new backend object, as Django builds one per request context."""
    params = redis_cache(url, key_prefix="civic")
    return RedisCache(params["LOCATION"], params)


def test_backends_of_one_server_share_one_pool_and_client_and_other_servers_get_their_own():
    first = _backend("redis://127.0.0.1:6390/3").client.get_client(write=True)
    again = _backend("redis://127.0.0.1:6390/3").client.get_client(write=False)
    other = _backend("redis://127.0.0.1:6390/4").client.get_client(write=True)
    assert first is again
    assert first.connection_pool is again.connection_pool
    assert other is not first and other.connection_pool is not first.connection_pool
    assert first.connection_pool.connection_kwargs["db"] == 3
    assert other.connection_pool.connection_kwargs["db"] == 4


@pytest.fixture
def unreachable(monkeypatch):
    """A backend on a port where nothing listens, and a count of connection attempts."""
    backend = _backend(f"redis://127.0.0.1:{_closed_port()}/0")
    pool = backend.client.get_client().connection_pool
    attempts = []
    real_get_connection = pool.get_connection

    def counted(*args, **kwargs):
        attempts.append(1)
        return real_get_connection(*args, **kwargs)

    monkeypatch.setattr(pool, "get_connection", counted)
    monkeypatch.setattr(FailSoftClient, "_warned_at", 0.0)
    return backend, attempts


def test_an_unreachable_redis_is_left_alone_until_retry_after_has_passed(unreachable, monkeypatch):
    backend, attempts = unreachable
    now = [1000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    assert backend.get("a", "missing") == "missing"
    assert len(attempts) == 1
    assert backend.client.reachable() is False
    # Within RETRY_AFTER nothing touches Redis: a network cut costs one connect timeout.
    for _ in range(5):
        assert backend.get("a") is None
        assert backend.add("a", 1) is True
        backend.set("a", 1)
    assert len(attempts) == 1
    now[0] += cache_module.RETRY_AFTER
    assert backend.client.reachable() is True
    assert backend.get_many(["a"]) == {}
    assert len(attempts) == 2


def test_one_warning_per_period_while_redis_is_away(unreachable, monkeypatch, caplog):
    backend, _attempts = unreachable
    now = [5000.0]
    monkeypatch.setattr(cache_module.time, "monotonic", lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(3):
            backend.get("a")
            now[0] += cache_module.RETRY_AFTER  # each call tries Redis again, and fails
        warnings = [r for r in caplog.records if r.name == "config.cache"]
        assert len(warnings) == 1
        assert "cache unreachable" in warnings[0].getMessage()
        now[0] += cache_module.WARN_EVERY
        backend.get("a")
        assert len([r for r in caplog.records if r.name == "config.cache"]) == 2


def test_an_error_redis_answers_with_is_raised_not_hidden(monkeypatch):
    """Only "cannot reach Redis" is an empty cache; an error from a Redis that answered (out
    of memory, a wrong type) reaches the caller, despite django-redis's IGNORE_EXCEPTIONS."""
    backend = _backend(f"redis://127.0.0.1:{_closed_port()}/0")
    client = backend.client.get_client()

    def out_of_memory(*args, **kwargs):
        raise ResponseError("OOM command not allowed when used memory > 'maxmemory'.")

    monkeypatch.setattr(client, "get", out_of_memory)
    with pytest.raises(ResponseError):
        backend.get("a")
    assert backend.client.reachable() is True
