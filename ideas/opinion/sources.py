"""Where opinion maps get their votes: one *source* per kind of subject.

A source says how to load a subject's votes as a ``VoteMatrix``, who may view its map, what
each statement is called (for display, at render time: labels are never stored in the map)
and where the subject lives. Idea boards register ``"board"`` here (``board.py``); the
conversations sub-app registers ``"conversation"`` in its ``AppConfig.ready()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_KIND = re.compile(r"^[a-z][a-z0-9_]{0,20}$")


@dataclass(frozen=True)
class Source:
    kind: str
    load: Callable[[int], Any]  # subject id -> engine.VoteMatrix (or a MapUnavailable)
    may_view: Callable[[Any, int], bool]  # (user, subject id) -> may see the map
    statement_labels: Callable[[int, list[int]], dict[int, str]]
    url: Callable[[int], str] | None = None


class MapUnavailable(Exception):
    """Raised by a source's ``load`` when no map can be drawn for a reason to tell people.
    ``reason`` must be one of ``OpinionMap.Status`` (e.g. ``"no_impressions"``): the map
    partial has a message for each."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownSource(LookupError):
    pass


_sources: dict[str, Source] = {}


def register_source(
    kind: str,
    *,
    load: Callable[[int], Any],
    may_view: Callable[[Any, int], bool],
    statement_labels: Callable[[int, list[int]], dict[int, str]],
    url: Callable[[int], str] | None = None,
) -> None:
    """Register (or replace) the source of ``kind``; call from an ``AppConfig.ready()``.

    ``load(subject_id)`` runs in the background task, never in a request; it raises the
    model's ``DoesNotExist`` for a subject that is gone (its stored map is then deleted) or
    :class:`MapUnavailable`. ``may_view(user, subject_id)`` decides the map page, the
    partial and the live stream. ``statement_labels(subject_id, ids)`` returns labels for
    the ids still shown (others are left out of the rendered map).
    """
    if not _KIND.match(kind):
        raise ValueError(f"invalid source kind {kind!r}")
    _sources[kind] = Source(kind, load, may_view, statement_labels, url)


def source(kind: str) -> Source:
    try:
        return _sources[kind]
    except KeyError:
        raise UnknownSource(kind) from None


def kinds() -> list[str]:
    return sorted(_sources)
