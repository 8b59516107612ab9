"""The registry of participation event kinds.

Each app registers the kinds it records, once, at import of its own ``kinds`` module (like
realtime event types)::

    SESSION_JOINED = register_kind("codesign.session_joined", _("Joined a co-design session"),
                                   group="codesign")

``group`` lets dashboards ask for "all co-design activity" without knowing every kind, so a
new kind shows up in its group's section as soon as events are recorded. Registering the same
kind twice with the same meaning is harmless; with a different meaning it is an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    group: str


_kinds: dict[str, Kind] = {}


def register_kind(key: str, label, *, group: str) -> str:
    """Declare an event kind; returns its key for use as a constant."""
    existing = _kinds.get(key)
    if existing is not None and existing.group != group:
        raise ValueError(f"participation kind {key!r} registered twice with different groups")
    _kinds[key] = Kind(key, label, group)
    return key


def get_kind(key: str) -> Kind | None:
    return _kinds.get(key)


def kinds(group: str | None = None) -> list[Kind]:
    return [k for k in _kinds.values() if group is None or k.group == group]


def label_of(key: str) -> str:
    kind = _kinds.get(key)
    return str(kind.label) if kind else key


# Community's own: the service exchange (platform-wide, no agency).
EXCHANGE_COMPLETED = register_kind("exchange.completed", _("Exchange completed"), group="exchange")
