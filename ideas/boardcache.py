"""An idea board, whole, for anonymous visitors: one cache round trip, no query, no template.

With the cards and the about block cached (:mod:`ideas.fragments`), rendering ``board.html``
and ``base.html`` around them was still two thirds of a board request (docs/performance.md,
"Pages near the server's limit"). A board looks the same to every anonymous visitor but for
two things, so the page is kept whole with slots filled per request:

* the CSRF tokens (the language switcher's and the board's hidden form): each visitor gets
  their own (:func:`community.pagecache.fill_csrf`);
* the cards' relative times ("3 minutes ago"), filled from the cached cards' creation times.

The key is the board fragments' (board, sort, status and page as the address writes them,
page size, language, time zone, the minute for trending) plus the host and a digest of every
template. An entry is used only while everything it shows is as it was built:

* the stamps the fragments key on: the board's realtime sequence number (every idea or
  comment posted, edited, hidden or merged, every support and status change), public names,
  CMS pages, challenge rows and agencies, challenge links and tags;
* the board's conversation list (read in the same round trip; its entry is forgotten when a
  conversation starts or closes) and the next moment one of them opens or closes;
* the next moment the challenge opens, stops taking ideas or closes (the phase label, the
  "Post an idea" line and the cards' support control change by time alone).

Only plain anonymous GETs take part (:func:`community.pagecache.plain_anonymous`: no session
or messages cookie; signed-in people always get the page rendered for them) with a canonical
query string: none, or one the page itself writes (``?sort=…[&status=…][&page=…]`` and the
sort form's ``?sort=…&status=…``) for a page that exists, so arbitrary parameters never grow
the cache. Everything else is served as before.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from community import versions
from community.pagecache import CSRF_SLOT, fill_csrf, plain_anonymous, templates_digest
from community.timefmt import ago_html
from ideas.conf import setting
from ideas.conversations import selectors as conversation_selectors
from ideas.events import board_stream
from ideas.fragments import (
    CHALLENGE_LINKS,
    CHALLENGES,
    TAGS,
    TIME_SLOT,
    BoardCards,
    _next_change,
)
from ideas.models import Challenge
from realtime.events import SEQUENCE_KEY

# The shape of an entry: change it with :meth:`BoardPage.store`, so entries written by an
# older deploy are never read.
FORMAT = 1
NAMES = [versions.PUBLIC_NAMES, versions.PAGES, CHALLENGES, CHALLENGE_LINKS, TAGS]


def board_query(sort: str, status: str, page: int | None = None) -> str:
    """The query string the board page writes for a sort, status filter and page."""
    params: dict[str, str | int] = {"sort": sort}
    if status:
        params["status"] = status
    if page and page > 1:
        params["page"] = page
    return urlencode(params)


def _conversations_seen(listing: Sequence) -> tuple:
    """What the board's conversations section shows of its list."""
    return tuple((c.pk, c.title, c.opens_at, c.closes_at) for c in listing)


def _next_conversation_change(listing: Sequence, now: datetime) -> float:
    moments = [m for c in listing for m in (c.opens_at, c.closes_at) if m is not None and m > now]
    return min(moments).timestamp() if moments else float("inf")


@dataclass
class BoardPage:
    """One anonymous request's view of the board page cache (see the module doc)."""

    request: HttpRequest
    challenge_id: int
    number: int
    key: str
    sequence: str
    built_under: tuple = ()

    @property
    def listing_key(self) -> str:
        return conversation_selectors.conversations_listing_key(self.challenge_id)

    def cached(self) -> str | None:
        """The page filled for this request, or None (then render it and :meth:`store` it).
        One cache round trip; a query only when the conversation list's own entry expired."""
        stamps, found = versions.read(NAMES, [self.sequence], [self.key, self.listing_key])
        self.built_under = (*(stamps[name] for name in NAMES), stamps[self.sequence])
        entry = versions.fresh(found.get(self.key), self.built_under)
        if entry is None:
            return None
        until, conversations, chunks, times = entry
        if timezone.now().timestamp() >= until:
            return None
        listing = conversation_selectors.conversations_on_challenge(
            self.challenge_id, found.get(self.listing_key)
        )
        if _conversations_seen(listing) != conversations:
            return None
        return self._fill(chunks, times)

    def fits(self, cards: BoardCards) -> bool:
        """Only pages that exist are kept (a number past the end shows the last page)."""
        return cards.number == self.number

    def store(
        self, html: str, *, challenge: Challenge, cards: BoardCards, listing: list
    ) -> str | None:
        """Keep ``html`` (rendered with :data:`CSRF_SLOT` and the cards' time slots) under the
        stamps :meth:`cached` read before the page's data; returns it filled, or None (and
        keeps nothing) if its time slots do not match its cards."""
        chunks = tuple(html.split(TIME_SLOT))
        times = tuple(card.created_at for card in cards.cards)
        if len(chunks) != len(times) + 1:
            return None
        now = timezone.now()
        until = min(_next_change([challenge], now), _next_conversation_change(listing, now))
        if versions.UNAVAILABLE not in self.built_under:
            value = (until, _conversations_seen(listing), chunks, times)
            versions.store(self.key, (self.built_under, value), timeout=setting("CACHE_SECONDS"))
        return self._fill(chunks, times)

    def _fill(self, chunks: Sequence[str], times: Sequence[datetime]) -> str:
        pieces = [chunks[0]]
        for text, chunk in zip(ago_html(list(times)), chunks[1:], strict=True):
            pieces += [text, chunk]
        return fill_csrf(self.request, "".join(pieces))


def _site_settings() -> str:
    """What of the site's settings the page shows (its name, the text number or, in
    development, the development phone): changed settings never serve an older page."""
    sms = getattr(settings, "SMS", {})
    shown = (settings.WAGTAIL_SITE_NAME, sms.get("FROM_NUMBER", ""), settings.DEBUG)
    shown += (sms.get("PROVIDER"), bool(sms.get("WEBHOOK_SECRET")))
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:8]


def board_page(
    request: HttpRequest, *, challenge_id: int, sort: str, status: str, number: int
) -> BoardPage | None:
    """The page cache for this request, or None when it does not take part (see the module
    doc: signed-in, cookies, a query string the page does not write)."""
    if not plain_anonymous(request) or request.user.is_authenticated:
        return None
    written = {"", board_query(sort, status, number)}
    if number == 1:
        written.add(urlencode({"sort": sort, "status": status}))  # the sort form's
    if request.META.get("QUERY_STRING", "") not in written:
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    zone = timezone.get_current_timezone_name()
    minute = int(time.time() // 60) if sort == "trending" else ""
    key = ":".join(
        map(
            str,
            [
                "ideas:boardpage",
                FORMAT,
                templates_digest(),
                request.get_host(),
                language,
                zone,
                setting("BOARD_PAGE_SIZE"),
                minute,
                _site_settings(),
                request.get_full_path(),
            ],
        )
    )
    sequence = SEQUENCE_KEY.format(stream=board_stream(challenge_id))
    return BoardPage(request, challenge_id, number, key, sequence)


__all__ = ["CSRF_SLOT", "BoardPage", "board_page", "board_query"]
