"""Which models people may follow: a registry other apps fill in ``AppConfig.ready()``.

``community`` never imports ``ideas``, so follow/unfollow work through content types and
this allow-list::

    from community.follows import register_followable
    register_followable(Challenge)           # needs get_absolute_url() and __str__
    register_followable(Idea, visible=lambda idea: not idea.is_hidden)

Anything not registered cannot be followed, whatever a form posts. ``visible`` decides
whether a target may be followed (and listed) at all, e.g. hidden or withdrawn content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Followable:
    model: type[Model]
    visible: Callable[[Any], bool]


_followables: dict[str, Followable] = {}


def _key(model: type[Model]) -> str:
    return model._meta.label_lower


def register_followable(
    model: type[Model], *, visible: Callable[[Any], bool] | None = None
) -> None:
    """Allow following instances of ``model`` (its ``app_label.model_name``)."""
    _followables[_key(model)] = Followable(model, visible or (lambda obj: True))


def followable(label: str) -> Followable | None:
    """The registration for ``app_label.model_name``, or None if it may not be followed."""
    return _followables.get((label or "").lower())


def is_followable(obj: Model) -> bool:
    entry = _followables.get(_key(type(obj)))
    return entry is not None and bool(entry.visible(obj))


def label_of(obj: Model) -> str:
    return _key(type(obj))
