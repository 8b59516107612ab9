"""Which models can be reported, held and moderated: a registry apps fill in ``ready()``.

``community`` never imports ``ideas``; each app describes its content with small callables::

    register_reportable(
        Idea,
        kind_label=_("Idea"),
        author=lambda idea: idea.persona,            # the persona it was posted as
        agency=lambda idea: idea.challenge.agency,   # scopes the queue; None = platform-wide
        text=lambda idea: f"{idea.title}\\n{idea.body}",
        context=lambda idea: f"Idea on “{idea.challenge}”",
        url=lambda idea: idea.get_absolute_url(),
        on_hide=..., on_publish=..., apply_edit=...,
    )

``on_hide(obj, public_reason)`` runs inside the moderation transaction when content stops
being public (held or hidden): apps flip their own flag if they have one and publish their
own realtime events (``idea.hidden``). ``on_publish(obj)`` is the reverse (approved after a
hold, restored after an appeal). ``apply_edit(obj, text)`` replaces the text when a moderator
edits; None means the kind cannot be edited (hide it instead). ``private`` marks content only
its participants see (exchange messages): the personal-data screening rule skips it, and the
queue shows no "see it in place" link. ``can_report(user, obj)`` says whether ``user`` may see
(and so report) the object; None means anyone signed in may.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Reportable:
    model: type[Model]
    kind_label: Any
    author: Callable[[Any], Any]
    agency: Callable[[Any], Any]
    text: Callable[[Any], str]
    context: Callable[[Any], str]
    url: Callable[[Any], str]
    on_hide: Callable[[Any, str], None] | None = None
    on_publish: Callable[[Any], None] | None = None
    apply_edit: Callable[[Any, str], None] | None = None
    private: bool = False
    can_report: Callable[[Any, Any], bool] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_reportables: dict[str, Reportable] = {}


def register_reportable(model: type[Model], **kwargs: Any) -> Reportable:
    entry = Reportable(model=model, **kwargs)
    _reportables[entry.label] = entry
    return entry


def reportable(label_or_obj: str | Model | type[Model]) -> Reportable | None:
    """The registration for a label (``ideas.idea``), an instance or a model class."""
    if isinstance(label_or_obj, str):
        return _reportables.get(label_or_obj.lower())
    model = label_or_obj if isinstance(label_or_obj, type) else type(label_or_obj)
    return _reportables.get(model._meta.label_lower)


def reportables() -> list[Reportable]:
    return list(_reportables.values())
