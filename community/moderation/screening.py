"""Automatic holds: every rule that can stop new or edited content going public.

A rule is a plain function ``rule(ctx: ScreenContext) -> str | None``: the hold reason
people read, or None. Rules only read the context (no queries), so each is testable on its
own; :func:`community.moderation.actions.holds.content_screen` builds the context once and
runs :data:`RULES`. Thresholds come from ``settings.MODERATION`` (see :func:`conf`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULTS = {
    # An account younger than this may not post links to untrusted domains without review.
    "NEW_ACCOUNT_HOURS": 24,
    # Documentation domains (RFC 2606) can never be spam targets; add the government's own.
    "TRUSTED_LINK_DOMAINS": ["example", "example.org", "example.com", "example.net", "gov.uk"],
    # Repeated posting: the same text this many times within the window, or too many posts.
    "REPEAT_WINDOW_MINUTES": 60,
    "REPEAT_SAME_TEXT": 3,
    "REPEAT_MAX_POSTS": 20,
    "BLOCKLIST": [],
    # Channels whose first post from an account is always checked by a moderator first.
    "HOLD_FIRST_POST_CHANNELS": ["sms"],
}


def conf(key: str):
    return getattr(settings, "MODERATION", {}).get(key, DEFAULTS[key])


@dataclass
class ScreenContext:
    """What the rules may look at. Built by ``content_screen``; tests build it by hand."""

    text: str
    account_age: timedelta = timedelta(days=365)
    recent_posts: int = 0
    recent_same_text: int = 0
    private: bool = False
    channel: str = "web"
    earlier_posts: int = 0
    extra: dict = field(default_factory=dict)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, optionally grouped by spaces, dots or dashes, optional +country code.
_PHONE = re.compile(r"(?<![\w/])\+?\d(?:[\s.-]?\d){6,14}(?![\w/])")
# National ID patterns: US SSN, UK National Insurance number, IBAN-like account numbers.
_ID_NUMBER = re.compile(
    r"\b\d{3}-\d{2}-\d{4}\b"
    r"|\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"
    r"|\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b",
)


def _host(url: str) -> str:
    if url.lower().startswith("www."):
        url = "http://" + url
    return (urlsplit(url).hostname or "").lower()


def _trusted(host: str) -> bool:
    for domain in conf("TRUSTED_LINK_DOMAINS"):
        domain = domain.lower().lstrip(".")
        if host == domain or host.endswith("." + domain):
            return True
    return False


def links_from_new_account(ctx: ScreenContext) -> str | None:
    if ctx.account_age >= timedelta(hours=conf("NEW_ACCOUNT_HOURS")):
        return None
    if any(not _trusted(_host(url)) for url in _URL.findall(ctx.text)):
        return _("New accounts cannot post links straight away; a moderator will check it.")
    return None


def first_post_from_channel(ctx: ScreenContext) -> str | None:
    """An account's first post by text (or another listed channel) waits for a moderator:
    nobody has seen this person write before, and a text cannot show our posting rules."""
    if ctx.channel in conf("HOLD_FIRST_POST_CHANNELS") and ctx.earlier_posts == 0:
        return _("First posts sent by text are checked by a moderator before they appear.")
    return None


def repeated_posting(ctx: ScreenContext) -> str | None:
    if ctx.recent_same_text + 1 >= conf("REPEAT_SAME_TEXT"):
        return _("The same text was posted several times in a short while.")
    if ctx.recent_posts + 1 > conf("REPEAT_MAX_POSTS"):
        return _("Many posts in a short while.")
    return None


def blocklisted_words(ctx: ScreenContext) -> str | None:
    words = [w.lower() for w in conf("BLOCKLIST") if w]
    if not words:
        return None
    lowered = ctx.text.lower()
    for word in words:
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lowered):
            return _("It contains words that are not allowed here.")
    return None


def personal_data(ctx: ScreenContext) -> str | None:
    if ctx.private:
        return None
    text = _URL.sub(" ", ctx.text)
    if _EMAIL.search(text):
        return _("It looks like it contains an email address.")
    if _ID_NUMBER.search(text):
        return _("It looks like it contains an identity or account number.")
    if _PHONE.search(text):
        return _("It looks like it contains a phone number.")
    return None


Rule = Callable[[ScreenContext], "str | None"]
RULES: list[Rule] = [
    links_from_new_account,
    first_post_from_channel,
    repeated_posting,
    blocklisted_words,
    personal_data,
]


def screen(ctx: ScreenContext, rules: list[Rule] | None = None) -> list[str]:
    """Every hold reason the rules give for ``ctx`` (empty: publish)."""
    return [reason for rule in (rules or RULES) if (reason := rule(ctx))]
