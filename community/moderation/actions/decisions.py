"""Moderators' decisions on a case (approve, hide, edit, warn, suspend, ban) and revealing the
account behind its author.

A decision names the case ``version`` it was made on, so a second moderator deciding at once
gets "already decided"; the owning app's ``on_hide``/``on_publish`` hooks run inside the
transaction and publish their events after commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.notifications import notify
from community.actions.privacy import account_access_record, persona_account_reveal
from community.models import User
from community.moderation.actions.cases import EXCERPT_MAX, audit, require_moderator
from community.moderation.models import (
    DECISIONS,
    ActionKind,
    CaseState,
    ModerationAction,
    ModerationCase,
    Reason,
    Suspension,
)
from community.moderation.registry import Reportable, reportable
from community.moderation.selectors import hidden_label
from community.text import plain_text


def _locked(case: ModerationCase, version: int) -> ModerationCase:
    locked = ModerationCase.objects.select_for_update().get(pk=case.pk)
    if locked.version != version:
        who = locked.decided_by
        raise ValidationError(
            _(
                "This item was already decided by %(who)s (now: %(state)s). "
                "Nothing was changed; reload it to see the current state."
            )
            % {
                "who": who.get_full_name() or who.username if who else _("someone else"),
                "state": locked.get_state_display(),
            }
        )
    return locked


def _notify_author(case: ModerationCase, title: str, body: str, actor: User) -> None:
    if case.author_account_id is None:
        return
    account = User.objects.filter(pk=case.author_account_id).first()
    if account is not None:
        notify(
            recipients=[account],
            category="moderation",
            title=title,
            body=body,
            url=reverse("moderation:my_actions"),
            exclude=actor,
        )


def case_decide(
    *,
    moderator: User,
    case: ModerationCase,
    version: int,
    action: str,
    reason: str = "",
    note: str = "",
    text: str = "",
    days: int | None = None,
) -> ModerationAction:
    """Decide a case: approve, hide, edit (with a visible note), warn, suspend or ban.

    Warn, suspend and ban also hide the content they were decided on. ``version`` is the
    case version the moderator saw; if someone decided in between, ValidationError.
    """
    if action not in DECISIONS:
        raise ValidationError({"action": _("Choose one of the listed actions.")})
    require_moderator(moderator, case)
    note = plain_text(note)[:1000]
    if action != ActionKind.APPROVE and reason not in Reason.values:
        raise ValidationError({"reason": _("Choose the reason people will see.")})
    if action == ActionKind.EDIT and not plain_text(text):
        raise ValidationError({"text": _("Write the corrected text.")})
    if action == ActionKind.EDIT and not note:
        raise ValidationError({"note": _("Write the note shown with the edited text.")})
    if action == ActionKind.SUSPEND and (not days or not 1 <= int(days) <= 365):
        raise ValidationError({"days": _("Suspend for between 1 and 365 days.")})
    with transaction.atomic():
        case = _locked(case, version)
        obj = case.content
        entry = reportable(case.label)
        if obj is None or entry is None:
            raise ValidationError(_("That content no longer exists."))
        if action == ActionKind.EDIT and entry.apply_edit is None:
            raise ValidationError(_("This kind of content cannot be edited; hide it instead."))
        now = timezone.now()
        was_hidden = case.is_hidden
        if action == ActionKind.APPROVE:
            case.state, case.is_hidden = CaseState.APPROVED, False
            case.public_reason = ""
        elif action == ActionKind.EDIT:
            assert entry.apply_edit is not None, "refused above for content that cannot be edited"
            entry.apply_edit(obj, text)
            case.state, case.is_hidden = CaseState.EDITED, False
            case.public_reason, case.public_note = reason, note[:300]
            case.excerpt = plain_text(text)[:EXCERPT_MAX]
        else:
            case.state, case.is_hidden, case.public_reason = CaseState.HIDDEN, True, reason
        case.held = False
        case.decided_by, case.decided_at = moderator, now
        case.version = version + 1
        case.save()
        logged = audit(
            case=case,
            actor=moderator,
            action=action,
            reason=reason,
            note=note,
            waited=max(0, int((now - case.opened_at).total_seconds())),
        )
        if case.is_hidden and not was_hidden and entry.on_hide:
            entry.on_hide(obj, hidden_label(reason))
        if not case.is_hidden and was_hidden and entry.on_publish:
            entry.on_publish(obj)
        if action in (ActionKind.SUSPEND, ActionKind.BAN) and case.author_account_id:
            ends_at = None
            if action == ActionKind.SUSPEND:
                assert days is not None, "a suspension's days are checked above"
                ends_at = now + timedelta(days=int(days))
            Suspension.objects.create(
                account_id=case.author_account_id,
                action=logged,
                ends_at=ends_at,
                reason=reason,
            )
        _notify_author(case, *_decision_message(action, reason, note, days, entry), moderator)
    return logged


def _decision_message(
    action: str, reason: str, note: str, days: int | None, entry: Reportable
) -> tuple[str, str]:
    kind = str(entry.kind_label).lower()
    why = str(Reason(reason).label).lower() if reason else ""
    appeal = _("You can appeal this decision once.")
    titles: dict[str, str] = {
        ActionKind.APPROVE: _("Your %(kind)s is published.") % {"kind": kind},
        ActionKind.HIDE: _("A moderator hid your %(kind)s: %(why)s") % {"kind": kind, "why": why},
        ActionKind.EDIT: _("A moderator edited your %(kind)s: %(why)s")
        % {"kind": kind, "why": why},
        ActionKind.WARN: _("Warning from a moderator about your %(kind)s: %(why)s")
        % {"kind": kind, "why": why},
        ActionKind.SUSPEND: _("Your account is suspended for %(days)s days: %(why)s")
        % {"days": days, "why": why},
        ActionKind.BAN: _("Your account is banned from contributing: %(why)s") % {"why": why},
    }
    body = note if action == ActionKind.APPROVE else f"{note}\n\n{appeal}".strip()
    return titles[action], body


def case_reveal_account(*, moderator: User, case: ModerationCase, reason: str) -> User | None:
    """The account behind the case's author, for a moderator in scope; the look is logged
    in the citizen-visible access log and in the moderation audit log."""
    require_moderator(moderator, case)
    if case.author is None:
        return None
    with transaction.atomic():
        account = (
            persona_account_reveal(
                staff=moderator, persona=case.author, organisation=case.agency, reason=reason
            )
            if case.agency is not None
            else _reveal_platform(moderator, case, reason)
        )
        audit(case=case, actor=moderator, action=ActionKind.REVEAL, note=plain_text(reason))
    return account


def _reveal_platform(moderator: User, case: ModerationCase, reason: str) -> User | None:
    persona = case.author
    if persona is None or persona.account_id is None or persona.is_anonymised:
        return None
    account = User.objects.get(pk=persona.account_id)
    account_access_record(staff=moderator, account=account, reason=reason)
    return account
