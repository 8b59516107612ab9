"""The one site search: :func:`site_search` is what the page, the API and similar ideas read.

It asks the index (``community.search.engine``) for the best candidates, then asks each
kind's provider which of them anyone may see *now* — one query per kind present, whatever
the data's size — and builds titles and snippets from the objects' current text. Wagtail
pages come from Wagtail's search and are merged by score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from community.models import Organisation
from community.search import engine, text
from community.search.registry import Hit, externals, providers

# Candidates taken from the index before visibility checks; results beyond this are not
# worth paging to (a visitor refines the query instead).
CANDIDATES = 200
PAGE_SIZE = 20


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # the query was cut to a searchable length


def _visible_hits(rows: list[tuple[str, int, float]]) -> list[Hit]:
    """The candidates anyone may see now, best first: one ``values_list`` query per kind.
    The hits carry no text yet (:func:`fill` adds it to the ones shown)."""
    registered = providers()
    ids_by_kind: dict[str, list[int]] = {}
    for kind, pk, _score in rows:
        ids_by_kind.setdefault(kind, []).append(pk)
    visible: set[tuple[str, int]] = set()
    for kind, ids in ids_by_kind.items():
        provider = registered.get(kind)
        if provider is not None:
            found = provider.visible().filter(pk__in=ids).values_list("pk", flat=True)
            visible.update((kind, pk) for pk in found)
    return [
        Hit(
            kind=kind,
            object_id=pk,
            title="",
            url="",
            snippet="",
            score=score,
            kind_label=registered[kind].label,
        )
        for kind, pk, score in rows
        if (kind, pk) in visible
    ]


def fill(hits: list[Hit], query: str) -> list[Hit]:
    """Give the hits about to be shown their current title, URL, agency, status and snippet:
    one query per kind among them (objects gone or hidden since are left out)."""
    registered = providers()
    ids_by_kind: dict[str, list[int]] = {}
    for hit in hits:
        if not hit.url:
            ids_by_kind.setdefault(hit.kind, []).append(hit.object_id)
    documents = {}
    for kind, ids in ids_by_kind.items():
        provider = registered[kind]
        for obj in provider.visible().filter(pk__in=ids):
            documents[(kind, obj.pk)] = provider.document(obj)
    shown = []
    for hit in hits:
        if not hit.url:
            doc = documents.get((hit.kind, hit.object_id))
            if doc is None:
                continue
            hit.title = text.plain(doc.title)
            hit.url = doc.url
            hit.agency_id = doc.agency_id
            hit.status = doc.status
            hit.updated_at = doc.updated_at
            hit.body = doc.body
        if not hit.snippet:
            hit.snippet = text.highlight(hit.body, query)
        shown.append(hit)
    return shown


def search_hits(
    query: str,
    *,
    kinds: list[str] | None = None,
    agency_id: int | None = None,
    status: str = "",
    scope: str = "",
    limit: int = CANDIDATES,
) -> list[Hit]:
    """Visible hits of every kind (or of ``kinds``), best first, at most ``limit``; index
    hits are bare (kind, id, score) until :func:`fill` gives them their text."""
    query = text.clean_query(query)
    if not text.query_words(query):
        return []
    wanted = set(kinds or [])
    index_kinds = tuple(k for k in providers() if not wanted or k in wanted)
    hits: list[Hit] = []
    if index_kinds:
        filters = engine.Filters(
            kinds=index_kinds if wanted else (),
            agency_id=agency_id,
            status=status,
            scope=scope,
        )
        hits = _visible_hits(engine.candidates(query, filters, limit))
    if not scope:
        for kind, external in externals().items():
            if not wanted or kind in wanted:
                hits.extend(external.search(query, agency_id, status, limit))
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]


def site_search(
    query: str,
    *,
    kinds: list[str] | None = None,
    agency_slug: str = "",
    status: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Results:
    """One page of results for the search page and the API. Unknown agencies or kinds find
    nothing rather than being ignored (the page says so)."""
    cleaned = text.clean_query(query)
    results = Results(query=cleaned, truncated=len(" ".join((query or "").split())) > len(cleaned))
    known = {k for k, _ in kinds_available()}
    if kinds and not set(kinds) & known:
        return results
    agency_id = None
    if agency_slug:
        agency_id = (
            Organisation.objects.filter(slug=agency_slug).values_list("pk", flat=True).first()
        )
        if agency_id is None:
            return results
    hits = search_hits(
        cleaned, kinds=[k for k in kinds or [] if k in known], agency_id=agency_id, status=status
    )
    results.total = len(hits)
    results.by_kind = dict(Counter(hit.kind for hit in hits))
    start = (max(page, 1) - 1) * page_size
    results.hits = fill(hits[start : start + page_size], cleaned)
    return results


def kinds_available() -> list[tuple[str, str]]:
    from community.search.registry import kinds

    return [(k, str(label)) for k, label in kinds()]


def statuses_available() -> list[tuple[str, str]]:
    """Every status a registered kind uses, once each (the first kind's label wins)."""
    seen: dict[str, str] = {}
    for provider in providers().values():
        for value, label in provider.statuses:
            seen.setdefault(value, str(label))
    return sorted(seen.items(), key=lambda item: item[1])


def agencies_available() -> list[Organisation]:
    from community.selectors import agencies

    return list(agencies())
