"""Sources other than ideas that a backlog item can come from (a registry, like follows).

Co-design outcomes (issue 6) register themselves here in their ``AppConfig.ready()``::

    from ideas.backlog.sources import register_source
    register_source(Outcome, participants=lambda ids: set_of_account_ids, agency=lambda o: ...)

``participants`` receives the object ids of one model linked to an item and returns the
account ids to tell when the item changes publicly (e.g. every participant of the session);
``agency`` returns the agency id that owns an object, so promotion can refuse another
agency's outcome. :func:`ideas.backlog.actions.item_create` accepts ``sources=[...]`` of any
registered model, which is all a ``promote_outcome`` service needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Source:
    model: type[Model]
    participants: Callable[[list[int]], set[int]]
    agency: Callable[[Model], int | None]


_sources: dict[str, Source] = {}


def register_source(
    model: type[Model],
    *,
    participants: Callable[[list[int]], set[int]],
    agency: Callable[[Model], int | None],
) -> None:
    _sources[model._meta.label_lower] = Source(model, participants, agency)


def source_for(model: type[Model]) -> Source | None:
    return _sources.get(model._meta.label_lower)


def participants_of(pairs: Iterable[tuple[type[Model], int]]) -> set[int]:
    """Account ids behind the given (model, object id) sources, one query per model."""
    by_model: dict[type[Model], list[int]] = {}
    for model, pk in pairs:
        by_model.setdefault(model, []).append(pk)
    accounts: set[int] = set()
    for model, pks in by_model.items():
        entry = source_for(model)
        if entry is not None:
            accounts |= set(entry.participants(pks))
    return accounts
