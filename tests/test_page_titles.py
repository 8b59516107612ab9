"""Every page's <title> is "<page> — Civic Commons" (WCAG 2.4.2: titles describe the page).

The test walks the site as people meet it: from the home page and the main sections it
follows every same-site link (one page per URL pattern, so a board and its hundred ideas
cost two pages), signed in as a person who sees the staff pages too.
"""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve

from community.models import User

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LINK = re.compile(r'href="(/[^"#?]*)"')
START = [
    "/",
    "/ideas/",
    "/data/",
    "/insight/",
    "/exchange/",
    "/moderation/",
    "/sessions/",
    "/roadmap/",
    "/accounts/",
    "/notifications/",
    "/accounts/login/",
]
SKIP = ("/admin", "/django-admin", "/static", "/media", "/api/", "/accounts/logout", "/i18n")


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route if match.url_name != "wagtail_serve" else path


def _walk(client, limit: int = 160) -> dict[str, str]:
    """Path → title for every distinct page reached from START (HTML 200s only)."""
    seen_patterns: set[str] = set()
    queue = deque(START)
    titles: dict[str, str] = {}
    while queue and len(titles) < limit:
        path = queue.popleft()
        pattern = _pattern(path)
        if pattern is None or pattern in seen_patterns or path.startswith(SKIP):
            continue
        seen_patterns.add(pattern)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        found = TITLE.search(text)
        # Browsers collapse white space in titles (document.title), so compare that text.
        titles[path] = " ".join(html.unescape(found.group(1)).split()) if found else ""
        queue.extend(urlsplit(h).path for h in LINK.findall(text))
    return titles


def test_every_page_title_names_the_page_then_the_site(client):
    call_command("seed_demo", "--quiet")
    titles = _walk(client)  # as a visitor, then as staff who see the moderation pages too
    client.force_login(User.objects.get(email="moderator@northvale.example"))
    titles.update(_walk(client))
    assert len(titles) > 40
    pattern = re.compile(rf"^\S.*\S — {re.escape(settings.WAGTAIL_SITE_NAME)}$")
    bad = {path: title for path, title in titles.items() if not pattern.match(title)}
    assert not bad
