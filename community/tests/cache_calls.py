"""A fixture counting cache operations as callers make them: each is one Redis round trip in
production. Import it into a test module (``from community.tests.cache_calls import
cache_calls``) to assert how many round trips a cached page costs."""

from __future__ import annotations

import pytest
from django.core.cache import caches

CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "has_key")


@pytest.fixture
def cache_calls(monkeypatch):
    """Counts cache operations as callers make them (each one Redis round trip in
    production; the test cache's ``get_many`` calls its own ``get``, which is not counted)."""
    calls: list[str] = []
    depth = [0]
    backend = caches["default"]
    for name in CACHE_CALLS:
        original = getattr(backend, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, counting)
    return calls
