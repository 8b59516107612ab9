"""How search reads text, the same on PostgreSQL and SQLite: words, stems, snippets.

Citizens' posts carry no language, so every word is stemmed twice — with the English and the
Spanish Snowball stemmers (the algorithms PostgreSQL's ``english_stem``/``spanish_stem`` use) —
after folding case and accents, and stop words of both languages are dropped. "Contenedores"
and "contenedor" share the stem ``contenedor``; "bins" and "bin" share ``bin``; "camión" and
"camion" are one word. Snippets are escaped text with the matched words in ``<mark>``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

# Queries longer than this are cut (at a word boundary): nobody searches with a paragraph, and
# a 10,000-character paste should answer as fast as a word.
QUERY_MAX_CHARS = 200
QUERY_MAX_WORDS = 12

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Both lists unaccented: words are folded before they are looked up.
ENGLISH_STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    please maybe really""".split()  # noqa: SIM905 - a readable word list
)
SPANISH_STOP_WORDS = frozenset(
    """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
    durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estaba estan estar
    estas este esto estos estoy fue ha han hasta hay he la las le les lo los me mi mis mucho
    muchos muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque que
    quien quienes se sea ser si sin sobre son su sus tambien te tiene tienen todo todos tu tus
    un una uno unos y ya yo""".split()  # noqa: SIM905 - a readable word list
)
STOP_WORDS = ENGLISH_STOP_WORDS | SPANISH_STOP_WORDS

_english = snowballstemmer.stemmer("english")
_spanish = snowballstemmer.stemmer("spanish")


def fold(text: str) -> str:
    """Lower case without accents: "Camión" → "camion" (ñ becomes n, as PostgreSQL's unaccent)."""
    if text.isascii():  # most text: nothing to decompose (and much faster to index)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """Text without markup or entities, on one line."""
    return " ".join(html.unescape(strip_tags(text or "")).split())


@lru_cache(maxsize=50_000)
def stems(word: str) -> frozenset[str]:
    """The English and Spanish stems of one folded word (empty for a stop word)."""
    if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return frozenset()
    return frozenset((_english.stemWord(word), _spanish.stemWord(word)))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).replace("_", " "))


def analyse(text: str) -> list[frozenset[str]]:
    """One set of stems per meaningful word of ``text``, in order."""
    return [s for s in (stems(w) for w in words(text)) if s]


def terms(text: str) -> str:
    """The stored, space-delimited form of ``text``'s stems (searched with LIKE on SQLite)."""
    seen: dict[str, None] = {}
    for group in analyse(text):
        for stem in sorted(group):
            seen[stem] = None
    return f" {' '.join(seen)} " if seen else ""


def clean_query(query: str) -> str:
    """A visitor's query made safe to search: control characters gone, whitespace collapsed,
    cut to :data:`QUERY_MAX_CHARS` at a word boundary and to :data:`QUERY_MAX_WORDS` words."""
    text = " ".join(_CONTROL.sub(" ", query or "").split())
    if len(text) > QUERY_MAX_CHARS:
        text = (
            text[:QUERY_MAX_CHARS].rsplit(" ", 1)[0]
            if " " in text[:QUERY_MAX_CHARS]
            else text[:QUERY_MAX_CHARS]
        )
    return " ".join(text.split(" ")[:QUERY_MAX_WORDS])


def query_words(query: str) -> list[str]:
    """The folded words of a cleaned query, each once (operators and punctuation dropped)."""
    return list(dict.fromkeys(words(query)))[:QUERY_MAX_WORDS]


def score(title: str, body: str, query: str) -> float:
    """A relevance score computed in Python (SQLite, and Wagtail pages on either database):
    an exact title first, then words found in the title, then in the text."""
    wanted = analyse(query)
    if not wanted:
        return 0.0
    title_stems = set().union(*analyse(title)) if title else set()
    body_stems = set().union(*analyse(body)) if body else set()
    in_title = sum(1 for group in wanted if group & title_stems)
    in_body = sum(1 for group in wanted if group & body_stems)
    exact = 10.0 if words(title) == words(query) else 0.0
    return exact + (2.0 * in_title + in_body) / len(wanted)


def _marked(word: str, wanted: set[str], prefixes: Iterable[str]) -> bool:
    folded = fold(word)
    return bool(stems(folded) & wanted) or any(
        len(p) >= 4 and folded.startswith(p) for p in prefixes
    )


def highlight(text: str, query: str, *, length: int = 220) -> SafeString:
    """An escaped excerpt of ``text`` around the first word that matches ``query``, with
    every matching word wrapped in ``<mark>``; the start of the text when nothing matches."""
    text = plain(text)
    wanted: set[str] = set().union(*analyse(query)) if analyse(query) else set()
    prefixes = [w for w in query_words(query) if w not in STOP_WORDS]
    matches = [m for m in _WORD.finditer(text) if _marked(m.group(), wanted, prefixes)]
    start = 0
    if matches and matches[0].start() > length // 3:
        start = text.rfind(" ", 0, matches[0].start() - length // 4) + 1
    end = len(text) if len(text) - start <= length else text.rfind(" ", start, start + length)
    if end <= start:
        end = min(len(text), start + length)
    parts: list[tuple[str, str]] = []
    cursor = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        parts.append(("", text[cursor : m.start()]))
        parts.append(("mark", m.group()))
        cursor = m.end()
    parts.append(("", text[cursor:end]))
    body = format_html_join(
        "", "{}", ((format_html("<mark>{}</mark>", s) if tag else s,) for tag, s in parts)
    )
    return format_html("{}{}{}", "… " if start > 0 else "", body, " …" if end < len(text) else "")
