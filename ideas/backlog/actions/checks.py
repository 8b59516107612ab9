"""The *check* half shared by backlog actions: who may shape a backlog and what a field may
hold. Nothing here writes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from community.models import Organisation, User
from community.text import clean_title
from ideas.actions.checks import clean_rich
from ideas.backlog import permissions
from ideas.backlog.models import TEXT_MAX, TITLE_MAX, quarter_validator

# Fields item_update may change (the status moves through item_transition only).
EDITABLE = (
    "title",
    "problem",
    "proposed_change",
    "owner",
    "reach",
    "impact",
    "confidence",
    "effort",
    "target_quarter",
    "is_public",
    "internal_notes",
)
FACTORS = ("reach", "impact", "confidence", "effort")


def require_manager(user: User, agency: Organisation | int) -> None:
    if not permissions.can_manage_backlog(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))


def clean_item_title(title: str) -> str:
    return clean_title(title, max_length=TITLE_MAX)


def clean_text(text: str, field: str, *, required: str | None = None) -> str:
    """Light-formatting text (sanitised when shown), as the idea boards accept it."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        if required:
            raise ValidationError({field: required})
        return ""
    return clean_rich(text, field, TEXT_MAX, required or "")


def clean_factor(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if str(number) != str(value).strip() or not 1 <= number <= 10:
        raise ValidationError({field: _("Use a whole number from 1 to 10.")})
    return number


def clean_quarter(value: str) -> str:
    value = (value or "").strip().upper()
    if value:
        quarter_validator(value)
    return value


def clean_owner(owner: User | None, agency: Organisation) -> User | None:
    if owner is not None and not permissions.can_view_backlog(owner, agency):
        raise ValidationError({"owner": _("The owner must be a member of the agency's staff.")})
    return owner


def clean_problem(text: str) -> str:
    return clean_text(text, "problem", required=_("Describe the problem people have."))
