"""The sanitiser: the one module that turns user-provided text into safe HTML.

Ideas, comments, notes, messages and profiles allow light formatting only: paragraphs, line
breaks, emphasis, lists, quotes, code and links (http, https, mailto), which get
``rel="nofollow ugc noopener"``. Everything else is escaped or dropped. Templates escape by
default; ``mark_safe`` is applied only here, to bleach's output. Titles (ideas, challenge
questions, backlog items, exchange posts) are plain text and go through :func:`clean_title`.
"""

from __future__ import annotations

import html
import re
import threading

import bleach
from bleach.linkifier import DEFAULT_CALLBACKS, Linker
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "code", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


# bleach's Cleaner and Linker keep parser state between calls and are not thread-safe: pages
# rendered at once in daphne's threads shared one and failed now and then with html5lib's
# "pop from empty list" (make faults, mixed load). Each thread gets its own.
_local = threading.local()


def _tools() -> tuple[bleach.Cleaner, Linker]:
    tools = getattr(_local, "tools", None)
    if tools is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
        linker = Linker(callbacks=[*DEFAULT_CALLBACKS, _rel], skip_tags={"code"})
        tools = _local.tools = (cleaner, linker)
    return tools


_BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize_html(text: str) -> SafeString:
    """Safe HTML from user text with light formatting; plain text becomes paragraphs."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return mark_safe("")
    if "<" not in text:
        paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]
        text = "".join(
            "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
        )
    cleaner, linker = _tools()
    cleaned = cleaner.clean(text)
    return mark_safe(linker.linkify(cleaned))  # noqa: S308 - bleach output


def plain_text(text: str) -> str:
    """User text with every tag removed (for titles, names, notifications, feeds).

    The result is *text*, not HTML: templates escape it. Stripping repeats until nothing
    tag-like is left, so nested tricks (``<<script>script>``) cannot reassemble a tag.
    """
    result = text or ""
    for _attempt in range(5):
        stripped = html.unescape(bleach.clean(result, tags=set(), strip=True, strip_comments=True))
        if stripped == result:
            break
        result = stripped
    if looks_like_html(result):
        result = re.sub(r"<\s*[a-zA-Z!/][^>]*>?", "", result)
    return result.strip()


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<\s*[a-zA-Z!/]", text or ""))


# C0 and C1 control characters and the bidirectional embedding, override and isolate marks,
# which would reorder the text shown after a title ("Trojan Source" spoofing).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_title(
    title: str,
    *,
    field: str = "title",
    label: str | None = None,
    max_length: int,
    min_length: int = 1,
) -> str:
    """A one-line plain-text title, or ``ValidationError({field: message})``.

    The one rule for every title people type (ideas, challenge questions, backlog items,
    exchange posts): HTML is refused, entities are decoded, control characters and runs of
    whitespace become single spaces, and the result must have ``min_length`` to
    ``max_length`` characters. Each message names the field by ``label`` (the form's label;
    default "Title") so it reads the same on a form, in the API and by text message.
    """
    name = label if label is not None else _("Title")
    text = _CONTROL.sub(" ", title or "")  # before the HTML parser turns them into "?"
    if looks_like_html(text):
        raise ValidationError(
            {field: _("“%(field)s” is plain text: remove the HTML.") % {"field": name}}
        )
    text = " ".join(_CONTROL.sub(" ", plain_text(text)).split())  # also decoded "&#7;"
    if not text:
        raise ValidationError(
            {field: _("Fill in “%(field)s”: a few words are enough.") % {"field": name}}
        )
    if len(text) < min_length:
        raise ValidationError(
            {
                field: _("Make “%(field)s” at least %(n)d characters long (it has %(m)d).")
                % {"field": name, "n": min_length, "m": len(text)}
            }
        )
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Keep “%(field)s” to at most %(n)d characters (it has %(m)d).")
                % {"field": name, "n": max_length, "m": len(text)}
            }
        )
    return text
