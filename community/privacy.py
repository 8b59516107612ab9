"""What the platform holds about a person: the registry other apps report into.

``community`` never imports other apps, so each app that stores something about an account
registers an exporter in its ``AppConfig.ready()``::

    from community.privacy import register_export
    register_export("ideas", "Ideas you posted", export_ideas)   # fn(user) -> list[dict]

The privacy dashboard, the JSON download and the contributions CSV read every registered
exporter. Values must be plain JSON types (datetimes are turned into ISO text). Items made
*as a persona* carry ``"persona": persona.slug`` so the dashboard can show what is held per
persona. Mark sections of things the person contributed (ideas, comments, votes, offers,
notes) ``contributions=True``: they also go into the CSV. Account deletion scrubs the account in place
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


ConsentListener = Callable[[Any, str, bool], None]
_consent_listeners: list[ConsentListener] = []


def register_consent_listener(listener: ConsentListener) -> None:
    """Run ``listener(user, purpose, granted)`` inside every consent change's transaction
    (the research panel drops a person from samples and pending invitations on withdrawal)."""
    if listener not in _consent_listeners:
        _consent_listeners.append(listener)


def consent_listeners() -> list[ConsentListener]:
    return list(_consent_listeners)


def build_export(user) -> dict[str, Any]:
    """Everything held about ``user``, as plain JSON-ready data (the JSON download)."""
    from django.utils import timezone

    return {
        "format": "civic-commons-export/1",
        "generated_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "sections": {
            section.key: {"title": str(section.title), "items": section.export(user)}
            for section in export_sections()
        },
    }


def contribution_rows(user) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns, rows) of every contributions section, for the CSV download."""
    rows: list[dict[str, Any]] = []
    columns: list[str] = ["section", "persona"]
    for section in export_sections():
        if not section.contributions:
            continue
        for item in section.export(user):
            row = {"section": section.key, **item}
            for key in row:
                if key not in columns:
                    columns.append(key)
            rows.append(row)
    return columns, rows
