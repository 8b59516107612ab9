"""What every whole-page cache for anonymous visitors shares: which requests may take part,
the digest of the templates a cached page was rendered from, and the CSRF slot.

Two caches keep whole pages with slots filled per request: ``cms.pagecache`` (service pages
and the home page) and ``ideas.boardcache`` (idea boards). Both serve only requests that
look the same for every anonymous visitor (:func:`plain_anonymous`), never a signed-in
person's, and both render the CSRF token as :data:`CSRF_SLOT` so every visitor gets their own.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

# Rendered in place of the CSRF token (``context["csrf_token"] = CSRF_SLOT``). Only ever
# replaced where it is an input's value (:data:`CSRF_VALUE`): escaped user text can contain
# the word but never the quotes around it.
CSRF_SLOT = "csrf-token-slot"
CSRF_VALUE = 'name="csrfmiddlewaretoken" value="{}"'
# Directories never searched for templates.
_SKIP = {"node_modules", "staticfiles", "media", "var", "__pycache__"}


@memoize
def templates_digest() -> str:
    """Of every project template, in every app and sub-app (pages include blocks, panels,
    navigation and other apps' sections): a deploy that changes any of them never serves
    pages cached with the old ones."""
    base = Path(settings.BASE_DIR)
    files = []
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP)
        here = Path(root)
        if "templates" in here.relative_to(base).parts:
            files += [here / name for name in sorted(names) if name.endswith(".html")]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def plain_anonymous(request: HttpRequest) -> bool:
    """A GET that every anonymous visitor makes alike: no session cookie (so no signed-in
    person and no session data), no messages cookie (no flash waiting to be shown), no
    preview. The query string is for each cache to judge."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def fill_csrf(request: HttpRequest, html: str) -> str:
    """``html`` with this visitor's own CSRF token in every CSRF input rendered as the slot."""
    return html.replace(CSRF_VALUE.format(CSRF_SLOT), CSRF_VALUE.format(get_token(request)))
