"""Rate limits for anonymous and token clients, counted in the shared cache (Redis in
production, so every web process counts together). Over the limit: 429 with Retry-After. While Redis is unreachable the cache keeps nothing
(``config/cache.py``), so nothing is counted and no request is refused.

Rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at each request (DRF's own
classes read them once at import), so settings changes apply without a restart.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from config.env import parse_rate

SAFE = ("GET", "HEAD", "OPTIONS")


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def parse_rate(self, rate):
        """The platform's one rate parser (``config.env.parse_rate``): ``120/min``,
        ``60/hour``, ``5/10m``… DRF's own reads only the period's first letter."""
        if rate is None:
            return (None, None)
        return parse_rate(rate)


class AnonymousThrottle(_SettingsRateThrottle):
    """Per client address, for requests without a token."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(_SettingsRateThrottle):
    """Per account, for every request made with a token."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class WriteThrottle(_SettingsRateThrottle):
    """Per account, for writes only (posting, supporting, commenting)."""

    scope = "write"

    def get_cache_key(self, request, view):
        if request.method in SAFE or not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
