"""What the platform holds about a person: the registry other apps report into.

``community`` never imports other apps, so each app that stores something about an account
registers an exporter in its ``AppConfig.ready()``::

    from community.privacy import register_export
    register_export("ideas", "Ideas you posted", export_ideas)   # fn(user) -> list[dict]

The privacy dashboard, the JSON download and the contributions CSV read every registered
exporter. Values must be plain JSON types. Account deletion scrubs the account in place
(the row stays as a tombstone without personal data, personas are anonymised), so content
other people reply to stays readable and no other app needs a deletion hook unless it holds
personal data outside personas; such an app registers one with :func:`register_erasure`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], list[dict[str, Any]]]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    export: Exporter
    contributions: bool = False


_exports: dict[str, ExportSection] = {}
_erasers: dict[str, Eraser] = {}


def register_export(key: str, title: str, export: Exporter, *, contributions: bool = False) -> None:
    """Add a section to every person's data export. ``contributions`` sections go in the CSV."""
    _exports[key] = ExportSection(key, title, export, contributions)


def export_sections() -> list[ExportSection]:
    return list(_exports.values())


def register_erasure(key: str, erase: Eraser) -> None:
    """Run ``erase(user)`` inside the account-deletion transaction."""
    _erasers[key] = erase


def erasers() -> list[Eraser]:
    return list(_erasers.values())
