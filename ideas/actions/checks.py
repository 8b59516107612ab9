"""The *check* half shared by several idea actions: text and tag validation, the persona a
contribution is posted as, and locking an idea row. Nothing here writes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, overload

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from community.models import Persona, User
from community.permissions import can_act_as
from community.selectors import primary_persona
from community.text import ALLOWED_TAGS, plain_text
from ideas.models import Idea

MAX_TAGS = 5
TAG_MAX = 30
_TAG_NAME = re.compile(r"^[\w][\w\s-]*$")
_TAG_IN_TEXT = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_DANGEROUS = re.compile(r"javascript\s*:|\son[a-z]+\s*=|<!--", re.IGNORECASE)


def clean_rich(text: str, field: str, limit: int, empty_message: str) -> str:
    """User text with light formatting. Returns it as typed (it is sanitised when shown) or
    raises if it is empty, too long or carries markup beyond light formatting."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not plain_text(text):
        raise ValidationError({field: empty_message})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(n)d characters (it has %(m)d).")
                % {"n": limit, "m": len(text)}
            }
        )
    tags = {name.lower() for name in _TAG_IN_TEXT.findall(text)}
    if (tags - ALLOWED_TAGS) or _DANGEROUS.search(text):
        raise ValidationError(
            {
                field: _(
                    "Only light formatting is allowed (paragraphs, bold, italics, lists, quotes, "
                    "code and links). Remove scripts, styles and other HTML."
                )
            }
        )
    return text


def clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags or ():
        name = " ".join(plain_text(str(tag)).lower().split())
        if not name:
            continue
        if len(name) > TAG_MAX or not _TAG_NAME.match(name):
            raise ValidationError(
                {
                    "tags": _("Tags are short words or phrases (up to %(n)d letters).")
                    % {"n": TAG_MAX}
                }
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(n)d tags.") % {"n": MAX_TAGS}})
    return cleaned


@overload
def acting_persona(
    user: User, persona: Persona | None, *, required: Literal[True] = True
) -> Persona: ...
@overload
def acting_persona(user: User, persona: Persona | None, *, required: bool) -> Persona | None: ...
def acting_persona(user: User, persona: Persona | None, *, required: bool = True) -> Persona | None:
    """The persona a contribution is posted as: the one chosen, else the primary one."""
    if persona is None:
        persona = primary_persona(user)
        if persona is None:
            if required:
                raise ValidationError(
                    {"persona": _("Create a persona first: it is the name shown with your posts.")}
                )
            return None
    if not can_act_as(user, persona):
        raise PermissionDenied(_("You can only post as one of your own personas."))
    return persona


def lock_idea(idea: Idea | int) -> Idea:
    """The idea row, locked until the transaction ends (only the idea row, not its joins)."""
    pk = idea if isinstance(idea, int) else idea.pk
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("challenge", "persona")
        .get(pk=pk)
    )


def current(idea_id: int, *fields: str) -> tuple:
    """Fresh values of an idea's counters (after an ``F()`` update in this transaction)."""
    return Idea.objects.filter(pk=idea_id).values_list(*fields).get()
