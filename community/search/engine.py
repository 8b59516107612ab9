"""Finding candidate entries: PostgreSQL full-text search, or a simpler SQLite fallback.

Both take the same arguments and return ``(kind, object_id, score)`` rows, best first, at most
``limit`` long; visibility is the caller's to check (``community.search.selectors``).

PostgreSQL: the query is parsed with ``websearch_to_tsquery`` (any input is valid: quotes,
operators and symbols never raise) in the ``civic_english`` and ``civic_spanish``
configurations and the two are OR-ed, so each language's stemming and stop words apply; a
trigram ``<%`` (word similarity) on the folded title catches small typos when few rows
matched. Ranked by ``ts_rank`` (titles weigh more) plus an exact-title bonus.

SQLite: each query word must match one of its stems in ``terms`` (LIKE); when that finds
fewer than ``TYPO_WHEN`` rows, titles that look like the query (``difflib``) are added.

Work is bounded on both: PostgreSQL ranks at most ``RANK_CAP`` matches (plus the exact title
and up to ``TITLE_CAP`` title matches, so the most relevant are always among them) and compares
at most ``TYPO_CAP`` titles for typos, only when fewer than ``TYPO_WHEN`` rows matched.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from community.search import text
from community.search.models import SearchEntry

EXACT_TITLE_BONUS = 10.0
# PostgreSQL: how many matches are ranked at most (see _postgres), and when and how widely
# titles are compared for typos.
RANK_CAP = 1000
TITLE_CAP = 200
TYPO_WHEN = 20
TYPO_CAP = 500
# Rows the SQLite typo fallback compares (most recent first): bounded work per query.
TYPO_CANDIDATES = 5000


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    agency_id: int | None = None
    status: str = ""
    scope: str = ""


def candidates(query: str, filters: Filters, limit: int) -> list[tuple[str, int, float]]:
    query = text.clean_query(query)
    if not text.query_words(query):
        return []
    if connection.vendor == "postgresql":
        return _postgres(query, filters, limit)
    return _sqlite(query, filters, limit)


def _where(filters: Filters) -> tuple[str, list[object]]:
    clauses, params = [], []
    if filters.kinds:
        clauses.append("kind = ANY(%s)")
        params.append(list(filters.kinds))
    if filters.agency_id is not None:
        clauses.append("agency_id = %s")
        params.append(filters.agency_id)
    if filters.status:
        clauses.append("status = %s")
        params.append(filters.status)
    if filters.scope:
        clauses.append("scope = %s")
        params.append(filters.scope)
    return "".join(f" AND {c}" for c in clauses), params


def _postgres(query: str, filters: Filters, limit: int) -> list[tuple[str, int, float]]:
    folded = " ".join(text.query_words(query))
    # Stop words of either language are dropped here: each configuration only knows its own,
    # and the two tsqueries are OR-ed ("de la" must not match every Spanish text in English).
    kept = [w for w in text.query_words(query) if w not in text.STOP_WORDS]
    if not kept:
        return []
    words = " ".join(kept)
    where, params = _where(filters)
    table = SearchEntry._meta.db_table
    # Ranking is bounded: an exact title (its own index), up to TITLE_CAP entries matching in
    # their title and up to RANK_CAP matching anywhere are ranked, however many match.
    sql = f"""
        WITH q AS (
            SELECT websearch_to_tsquery('civic_english', %s)
                   || websearch_to_tsquery('civic_spanish', %s) AS tsq
        ),
        exact AS (SELECT id FROM {table} WHERE title_plain = %s{where} LIMIT 50),
        titled AS (
            SELECT e.id FROM {table} e, q WHERE e.title_document @@ q.tsq{where}
            LIMIT {TITLE_CAP}
        ),
        matched AS (
            SELECT e.id FROM {table} e, q WHERE e.document @@ q.tsq{where} LIMIT {RANK_CAP}
        )
        SELECT e.kind, e.object_id,
               ts_rank(e.document, q.tsq)
               + CASE WHEN e.title_plain = %s THEN {EXACT_TITLE_BONUS} ELSE 0 END AS score
        FROM {table} e, q
        WHERE e.id IN (SELECT id FROM exact UNION SELECT id FROM titled
                       UNION SELECT id FROM matched)
        ORDER BY score DESC, e.updated_at DESC NULLS LAST, e.id DESC
        LIMIT %s
    """  # noqa: S608 - only constants are formatted in; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [words, words, folded, *params, *params, *params, folded, limit])
        rows = [(kind, int(pk), float(s)) for kind, pk, s in cursor.fetchall()]
        typo = " ".join(w for w in kept if len(w) >= 4)
        if len(rows) < TYPO_WHEN and typo:
            rows += _postgres_typos(cursor, typo, where, params, rows, limit - len(rows))
    return rows


def _postgres_typos(cursor, typo: str, where: str, params: list[object], found, limit: int):  # type: ignore[no-untyped-def]
    """Titles that look like the query (trigram word similarity, its GIN index), after the
    full-text matches; at most TYPO_CAP rows are compared."""
    table = SearchEntry._meta.db_table
    seen = {(kind, pk) for kind, pk, _s in found}
    cursor.execute(
        f"""
        SELECT kind, object_id, word_similarity(%s, title_plain) * 0.5 AS score FROM (
            SELECT kind, object_id, title_plain FROM {table}
            WHERE %s <%% title_plain{where} LIMIT {TYPO_CAP}
        ) c ORDER BY score DESC, object_id DESC LIMIT %s
        """,  # noqa: S608 - only constants are formatted in; every value is a parameter
        [typo, typo, *params, limit + len(seen)],
    )
    rows = [(kind, int(pk), float(s)) for kind, pk, s in cursor.fetchall()]
    return [row for row in rows if (row[0], row[1]) not in seen][:limit]


def _filtered(filters: Filters):  # type: ignore[no-untyped-def]
    rows = SearchEntry.objects.all()
    if filters.kinds:
        rows = rows.filter(kind__in=filters.kinds)
    if filters.agency_id is not None:
        rows = rows.filter(agency_id=filters.agency_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.scope:
        rows = rows.filter(scope=filters.scope)
    return rows


def _sqlite(query: str, filters: Filters, limit: int) -> list[tuple[str, int, float]]:
    groups = text.analyse(query)
    rows = _filtered(filters)
    scored: dict[tuple[str, int], float] = {}
    if groups:
        matching = rows
        for group in groups:
            either = Q()
            for stem in group:
                either |= Q(terms__contains=f" {stem} ")
            matching = matching.filter(either)
        for kind, pk, title, body, extra in matching.values_list(
            "kind", "object_id", "title", "body", "extra"
        )[: max(limit * 5, 500)]:
            scored[(kind, pk)] = text.score(title, f"{body} {extra}", query)
    if len(scored) < min(limit, TYPO_WHEN):
        _typos(rows, query, scored)
    ranked = sorted(scored.items(), key=lambda item: (-item[1], -item[0][1]))
    return [(kind, pk, s) for (kind, pk), s in ranked[:limit]]


def _typos(rows, query: str, scored: dict[tuple[str, int], float]) -> None:  # type: ignore[no-untyped-def]
    wanted = [w for w in text.query_words(query) if w not in text.STOP_WORDS and len(w) >= 4]
    if not wanted:
        return
    for kind, pk, title_plain in rows.order_by("-updated_at", "-id").values_list(
        "kind", "object_id", "title_plain"
    )[:TYPO_CANDIDATES]:
        if (kind, pk) in scored:
            continue
        title_words = text.words(title_plain)
        close = sum(1 for w in wanted if difflib.get_close_matches(w, title_words, n=1, cutoff=0.8))
        if close:
            scored[(kind, pk)] = 0.5 * close / len(wanted)
