"""Moderation decisions, asked of :mod:`community.permissions` roles.

* **Moderate a case** [``moderation.moderate_case``, the case as the object]: the moderators
  (and agency admins) of the content's agency; platform-wide content (no agency, or no case)
  any moderator.
* **Read a decision** [``moderation.read_action``, the action as the object]: only the account
  whose content it was about (who may then appeal it).
* **Contribute** [``moderation.contribute_content``, no object]: not suspended or banned by a
  moderator. The reason (with the end date) comes from
  :func:`community.permissions.ensure_may_contribute`, which the write paths call
  inside their transaction; the predicate and :func:`why_not_contribute` are built from it so
  that a page can say so before the user types anything.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied

from community.moderation.models import ModerationAction, ModerationCase
from community.permissions import can_moderate, ensure_may_contribute
from community.types import AnyUser


@rules.predicate
def can_moderate_case(user: AnyUser, case: ModerationCase | None) -> bool:
    return can_moderate(user, getattr(case, "agency_id", None))


@rules.predicate
def can_read_action(user: AnyUser, action: ModerationAction) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and action.target_account_id == user.pk


def why_not_contribute(user: AnyUser) -> str | None:
    """Why ``user`` may not contribute now (suspended or banned), or None."""
    try:
        ensure_may_contribute(user)
    except PermissionDenied as exc:
        return str(exc)
    return None


@rules.predicate
def may_contribute(user: AnyUser) -> bool:
    return why_not_contribute(user) is None


rules.add_perm("moderation.moderate_case", can_moderate_case)
rules.add_perm("moderation.contribute_content", may_contribute)
rules.add_perm("moderation.read_action", can_read_action)
