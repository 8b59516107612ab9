"""What can be searched: apps register a :class:`Provider` per kind from ``AppConfig.ready()``.

``community`` never imports ``ideas`` or ``cms``; they (and later apps such as participatory
budgeting) describe their content here instead. A provider says how to turn one object into
an index :class:`Document`, which models' saves and deletes change which objects' entries, and
what anyone may see *now* — checked at query time, one query per kind, so a held, hidden,
unpublished or private object never appears even if its entry is stale, and titles and
snippets are drawn from the object's current text, never the index's copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Document:
    """What the index stores for one object."""

    title: str
    body: str
    url: str
    updated_at: datetime | None = None
    agency_id: int | None = None
    status: str = ""
    # A narrower area the object lives in, e.g. "challenge:12" for an idea (similar ideas).
    scope: str = ""
    # Official text in other languages (``translations`` fields): found, never shown.
    extra: str = ""


@dataclass(frozen=True)
class Watch:
    """A model whose saves or deletes change entries: ``ids(instance)`` says whose."""

    model: type[Model]
    ids: Callable[[Any], Iterable[int]]
    fields: frozenset[str] | None = None  # saves touching only other fields are ignored


@dataclass(frozen=True)
class Provider:
    kind: str
    label: str | Promise
    model: type[Model]
    # Objects to index, with what ``document`` reads loaded (filtering is ``visible``'s job).
    queryset: Callable[[], QuerySet[Any]]
    document: Callable[[Any], Document]
    # What anyone may see now, loaded for ``document`` (queried once per search).
    visible: Callable[[], QuerySet[Any]]
    statuses: list[tuple[str, str | Promise]] = field(default_factory=list)
    watches: tuple[Watch, ...] = ()
    # Fields whose change alone re-indexes the object (None: every save).
    fields: frozenset[str] | None = None


@dataclass
class Hit:
    """One search result, whatever produced it."""

    kind: str
    object_id: int
    title: str
    url: str
    snippet: str
    score: float
    agency_id: int | None = None
    status: str = ""
    updated_at: datetime | None = None
    kind_label: str | Promise = ""
    # The current text the snippet is cut from (snippets are made only for the page shown).
    body: str = ""


# A searcher outside the index (Wagtail pages): (query, agency_id, status, limit) → hits.
ExternalSearcher = Callable[[str, int | None, str, int], list[Hit]]


@dataclass(frozen=True)
class External:
    kind: str
    label: str | Promise
    search: ExternalSearcher


_providers: dict[str, Provider] = {}
_externals: dict[str, External] = {}


def register(provider: Provider) -> None:
    """Make ``provider``'s kind searchable and keep its entries up to date on saves."""
    from community.search import indexing

    _providers[provider.kind] = provider
    indexing.watch(provider)


def register_external(kind: str, label: str | Promise, search: ExternalSearcher) -> None:
    """A kind searched by its own engine (Wagtail's search for pages), merged into results."""
    _externals[kind] = External(kind=kind, label=label, search=search)


def providers() -> dict[str, Provider]:
    return dict(_providers)


def externals() -> dict[str, External]:
    return dict(_externals)


def kinds() -> list[tuple[str, str | Promise]]:
    """Every searchable kind with its label, pages first."""
    return [(e.kind, e.label) for e in _externals.values()] + [
        (p.kind, p.label) for p in _providers.values()
    ]
