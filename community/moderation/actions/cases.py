"""The case record every moderation action shares: one case per item, its audit log, and
who may act on it.

A case is created on first need (a report or a hold) and locked for the writing transaction;
every step appends one :class:`~community.moderation.models.ModerationAction` (never edited).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import User
from community.moderation.models import CaseState, ModerationAction, ModerationCase
from community.moderation.registry import Reportable, reportable
from community.text import plain_text

EXCERPT_MAX = 500


def reportable_entry(obj: Model) -> Reportable:
    """The registry entry for ``obj``'s kind; ValidationError for kinds nobody registered."""
    entry = reportable(obj)
    if entry is None:
        raise ValidationError(_("That kind of content cannot be reported."))
    return entry


def case_for(obj: Model, entry: Reportable) -> ModerationCase:
    """The content's case, created on first need and locked for this transaction."""
    ct = ContentType.objects.get_for_model(obj)
    author = entry.author(obj)
    agency = entry.agency(obj)
    defaults = {
        "agency": agency,
        "author": author,
        "author_account_id": getattr(author, "account_id", None),
        "excerpt": plain_text(entry.text(obj))[:EXCERPT_MAX],
    }
    try:
        with transaction.atomic():
            case, _created = ModerationCase.objects.get_or_create(
                content_type=ct, object_id=obj.pk, defaults=defaults
            )
    except IntegrityError:
        case = ModerationCase.objects.get(content_type=ct, object_id=obj.pk)
    return ModerationCase.objects.select_for_update().get(pk=case.pk)


def reopen(case: ModerationCase) -> None:
    """A decided case that gets new reports or a new hold goes back to the queue."""
    if case.state != CaseState.PENDING:
        case.state = CaseState.PENDING
        case.opened_at = timezone.now()
        case.decided_at = None
        case.decided_by = None


def audit(
    *,
    case: ModerationCase | None,
    actor: User | None,
    action: str,
    reason: str = "",
    note: str = "",
    target: int | None = None,
    waited: int | None = None,
) -> ModerationAction:
    """Append one audit row (never edited); ``target`` defaults to the case author's account."""
    return ModerationAction.objects.create(
        case=case,
        actor=actor,
        action=action,
        reason=reason,
        note=note,
        target_account_id=target
        if target is not None
        else getattr(case, "author_account_id", None),
        content_label=case.label if case else "",
        waited=waited,
    )


def require_moderator(user: User, case: ModerationCase | None) -> None:
    """In scope for the case's agency (no case or no agency: any moderator)."""
    agency_id = case.agency_id if case is not None else None
    if not permissions.can_moderate(user, agency_id):
        if case is not None and case.agency_id is not None and permissions.can_moderate(user, None):
            raise PermissionDenied(
                _("This item belongs to %(agency)s: only its moderators can act on it.")
                % {"agency": case.agency}
            )
        raise PermissionDenied(_("Only moderators can do that."))
