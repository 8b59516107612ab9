"""HTTP rate limits on the writes people can abuse: posting, commenting, voting, reporting.

Counters live in the shared cache (Redis in production, so every process counts together)
through django-ratelimit's fixed windows, per signed-in account or per address when signed
out. Limits come from ``settings.RATE_LIMITS`` (a rate such as ``10/h`` per group, set with
the ``RATE_LIMITS`` environment variable; a group set to None is off). A refused request gets
``429 Too Many Requests`` with ``Retry-After`` and a page saying when to try again; nothing
is written. Rates are read by ``config.env.parse_rate`` (``10/h``, ``10/hour``, ``5/10m``).
Sign-up, sign-in and password reset use allauth's own ``ACCOUNT_RATE_LIMITS``,
whose refusals come here through ``config.urls.handler429``. If Redis is unreachable the cache
keeps nothing (``config/cache.py``), so nothing is counted and no write is refused: an outage
of Redis never loses a person's write.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from config.env import parse_rate

logger = logging.getLogger(__name__)

GROUPS = ("post", "comment", "vote", "report", "write")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# allauth's refusals do not say how long is left; its sign-in/sign-up limits are per minute.
DEFAULT_RETRY_AFTER = 60


def _key(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def check(request: HttpRequest, group: str) -> int | None:
    """Count one attempt in ``group``; seconds to wait if it is over the limit, else None."""
    rate = settings.RATE_LIMITS.get(group)
    if not rate:
        return None
    try:
        usage = get_usage(
            request,
            group=f"civic.{group}",
            key=_key,
            rate=parse_rate(rate),
            method=list(WRITE_METHODS),
            increment=True,
        )
    except Exception:
        # The shared cache is down (Redis restarting): let the write through rather than
        # lose it. The limits come back with the cache; the outage is logged.
        logger.warning("rate limit not checked: cache unavailable", extra={"group": group})
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))


def rate_limited(request: HttpRequest, retry_after: int = DEFAULT_RETRY_AFTER) -> HttpResponse:
    """The 429 page: what happened, and when to try again. Also allauth's handler429."""
    minutes = math.ceil(retry_after / 60)
    if retry_after < 60:
        wait = ngettext(
            "Please try again in %(count)d second.",
            "Please try again in %(count)d seconds.",
            retry_after,
        ) % {"count": retry_after}
    else:
        wait = ngettext(
            "Please try again in %(count)d minute.",
            "Please try again in %(count)d minutes.",
            minutes,
        ) % {"count": minutes}
    response = TemplateResponse(
        request,
        "429.html",
        {
            "title": _("Too many tries"),
            "wait": wait,
            "retry_after": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(group: str) -> Callable:
    """Limit a view's writes (POST and friends) to ``settings.RATE_LIMITS[group]``.

    Reads (GET, HEAD) are never counted, so the form page always shows.
    """
    if group not in GROUPS:
        raise ValueError(f"unknown rate-limit group {group!r}; add it to GROUPS and settings")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in WRITE_METHODS:
                retry_after = check(request, group)
                if retry_after is not None:
                    return rate_limited(request, retry_after)
            return view(request, *args, **kwargs)

        wrapped.rate_limit_group = group  # type: ignore[attr-defined]
        return wrapped

    return decorator


def handler429(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = rate_limited(request)
    return response.render()
