"""What a public persona page lists: a registry of contribution sources other apps fill.

``community`` never imports ``ideas``; each app that stores contributions made *as a
persona* registers a function in its ``AppConfig.ready()``::

    from community.profiles import register_contributions
    register_contributions("ideas", _("Ideas"), public_ideas_of)

``fn(persona, limit)`` returns at most ``limit`` plain dicts, newest first, with ``title``,
``url`` and ``created_at`` (datetime), optionally ``summary``. It must return only what is
public and made as *that* persona: never look up the account's other personas. It should
run a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContributionSource = Callable[[Any, int], list[dict[str, Any]]]


@dataclass(frozen=True)
class ContributionSection:
    key: str
    title: str
    source: ContributionSource


_sections: dict[str, ContributionSection] = {}


def register_contributions(key: str, title: Any, source: ContributionSource) -> None:
    _sections[key] = ContributionSection(key, title, source)


def contribution_sections() -> list[ContributionSection]:
    return list(_sections.values())


def unregister_contributions(key: str) -> None:
    """For tests."""
    _sections.pop(key, None)
