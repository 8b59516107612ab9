"""Appeals: the author contests a decision once; a different moderator upholds or reverses it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.notifications import notify
from community.models import Membership, Role, User
from community.moderation.actions.cases import audit, require_moderator
from community.moderation.models import (
    ActionKind,
    Appeal,
    CaseState,
    ModerationAction,
    ModerationCase,
    Suspension,
)
from community.moderation.registry import reportable
from community.text import plain_text

APPEALABLE = frozenset(
    {ActionKind.HIDE, ActionKind.EDIT, ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN}
)


def _other_moderator(case: ModerationCase | None, exclude: int | None) -> User | None:
    """A moderator in scope other than the one who decided, with the fewest open appeals."""
    roles = [Role.MODERATOR, Role.AGENCY_ADMIN]
    members = Membership.objects.filter(role__in=roles, user__is_active=True)
    if case is not None and case.agency_id is not None:
        members = members.filter(organisation_id=case.agency_id)
    ids = set(members.values_list("user_id", flat=True)) - {exclude}
    if not ids:
        return None
    return (
        User.objects.filter(pk__in=ids)
        .annotate(
            load=Count(
                "id", filter=Q(pk__in=Appeal.objects.filter(state="open").values("assigned_to"))
            )
        )
        .order_by("load", "pk")
        .first()
    )


def appeal_create(*, user: User, action: ModerationAction, text: str) -> Appeal:
    """The author contests a decision, once; it goes to a different moderator."""
    if action.target_account_id != user.pk or action.action not in APPEALABLE:
        raise PermissionDenied(_("You can only appeal decisions about your own contributions."))
    text = plain_text(text)[:2000]
    if not text:
        raise ValidationError({"text": _("Say why the decision should change.")})
    with transaction.atomic():
        # decisions carried over without an item (old exchange suspensions) have no case
        case = (
            ModerationCase.objects.select_for_update().get(pk=action.case_id)
            if action.case_id
            else None
        )
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(
                    action=action,
                    appellant=user,
                    text=text,
                    assigned_to=_other_moderator(case, action.actor_id),
                )
        except IntegrityError:
            raise ValidationError(_("You have already appealed this decision.")) from None
        audit(
            case=case,
            actor=user,
            action=ActionKind.APPEAL,
            reason=action.reason,
            note=text,
            target=action.target_account_id,
        )
    return appeal


def appeal_decide(*, moderator: User, appeal: Appeal, grant: bool, note: str = "") -> Appeal:
    """A moderator other than the one who decided upholds or reverses the decision.

    Reversing makes the content public again and lifts a suspension or ban.
    """
    action = appeal.action
    case = action.case
    require_moderator(moderator, case)
    if moderator.pk == action.actor_id:
        raise PermissionDenied(_("A different moderator must decide an appeal on your decision."))
    note = plain_text(note)[:1000]
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.state != Appeal.State.OPEN:
            raise ValidationError(_("This appeal was already decided."))
        now = timezone.now()
        locked.state = Appeal.State.GRANTED if grant else Appeal.State.UPHELD
        locked.decided_by, locked.decided_at = moderator, now
        locked.save()
        if case is not None:
            case = ModerationCase.objects.select_for_update().get(pk=case.pk)
        if grant:
            Suspension.objects.filter(action=action, lifted_at__isnull=True).update(lifted_at=now)
        if grant and case is not None:
            entry = reportable(case.label)
            was_hidden = case.is_hidden
            case.state, case.is_hidden, case.public_reason = CaseState.APPROVED, False, ""
            case.version = F("version") + 1
            case.save()
            obj = case.content
            if was_hidden and obj is not None and entry and entry.on_publish:
                entry.on_publish(obj)
        audit(
            case=case,
            actor=moderator,
            action=ActionKind.APPEAL_GRANTED if grant else ActionKind.APPEAL_UPHELD,
            reason=action.reason,
            note=note,
            target=action.target_account_id,
        )
        notify(
            recipients=[locked.appellant],
            category="moderation",
            title=_("Your appeal was granted: the decision is reversed.")
            if grant
            else _("Your appeal was rejected: the decision stands."),
            body=note,
            url=reverse("moderation:my_actions"),
        )
    return locked
