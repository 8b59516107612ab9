"""Every moderation write: screening, reports, decisions, appeals, account reveals.

Content of any app attaches through :mod:`community.moderation.registry`. Each decision
checks :func:`community.permissions.can_moderate` scoped to the content's agency
(platform-wide content: any moderator), names the case ``version`` it was made on (a second
moderator deciding at once gets "already decided"), writes one append-only audit row,
notifies the author and lets the owning app publish its realtime events (``on_hide``/
``on_publish`` hooks run inside the transaction; ``publish`` sends after commit).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community import services as community_services
from community.formats import datetime_text
from community.models import Membership, Role, User
from community.moderation import screening
from community.moderation.models import (
    DECISIONS,
    ActionKind,
    Appeal,
    CaseState,
    ModerationAction,
    ModerationCase,
    Reason,
    Report,
    Submission,
    Suspension,
)
from community.moderation.registry import Reportable, reportable
from community.text import plain_text

EXCERPT_MAX = 500
APPEALABLE = frozenset(
    {ActionKind.HIDE, ActionKind.EDIT, ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN}
)


def _entry(obj: Model) -> Reportable:
    entry = reportable(obj)
    if entry is None:
        raise ValidationError(_("That kind of content cannot be reported."))
    return entry


def hidden_label(reason: str) -> str:
    """What the public sees in place of hidden content."""
    if not reason:
        return _("Hidden by a moderator.")
    return _("Hidden by a moderator: %(reason)s") % {"reason": str(Reason(reason).label).lower()}


# -- suspensions ------------------------------------------------------------------------


def _active_suspensions() -> QuerySet[Suspension]:
    """Suspensions and bans in force now (not lifted; no end date, or one still ahead)."""
    return Suspension.objects.filter(lifted_at__isnull=True).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
    )


def active_suspension(user: User) -> Suspension | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        _active_suspensions()
        .filter(account=user)
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )


def account_suspended(account_field: str) -> Exists:
    """A query expression: the account in ``account_field`` is suspended or banned now.

    For hot paths that read the account's row anyway (a co-design action): annotate it, and
    call :func:`ensure_may_contribute` (for the message) only when it is true, instead of a
    query of its own on every action.
    """
    return Exists(_active_suspensions().filter(account=OuterRef(account_field)))


def ensure_may_contribute(user: User) -> None:
    """PermissionDenied with the end date when the account is suspended or banned."""
    suspension = active_suspension(user)
    if suspension is None:
        return
    if suspension.is_ban:
        raise PermissionDenied(_("Your account is banned from contributing."))
    raise PermissionDenied(
        _("Your account is suspended from contributing until %(date)s.")
        % {"date": datetime_text(suspension.ends_at)}
    )


# -- cases ------------------------------------------------------------------------------


def _case_for(obj: Model, entry: Reportable) -> ModerationCase:
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


def _reopen(case: ModerationCase) -> None:
    """A decided case that gets new reports or a new hold goes back to the queue."""
    if case.state != CaseState.PENDING:
        case.state = CaseState.PENDING
        case.opened_at = timezone.now()
        case.decided_at = None
        case.decided_by = None


def _log(
    *,
    case: ModerationCase | None,
    actor: User | None,
    action: str,
    reason: str = "",
    note: str = "",
    target: int | None = None,
    waited: int | None = None,
) -> ModerationAction:
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


# -- screening --------------------------------------------------------------------------


@dataclass
class ScreenResult:
    held: bool
    reasons: list[str]

    @property
    def message(self) -> str:
        return _("Held for review before it appears: %(reasons)s") % {
            "reasons": " ".join(self.reasons)
        }


def content_screen(
    *,
    user: User | None,
    obj: Model,
    text: str,
    edited: bool = False,
    channel: str = "web",
) -> ScreenResult:
    """Run the screening rules on new or edited content; hold it if any rule fires.

    Call inside the creating/editing transaction, after the object is saved. Raises
    PermissionDenied for suspended accounts (rolling the write back). When held, the case
    is pending and hidden, ``on_hide`` has run (the app hides it from public lists) and the
    caller must not publish its "created" event; it tells the author ``result.message``.
    ``channel`` ("web", "sms", "assisted") is how the content arrived; some rules depend on it.

    ``user=None`` screens a named guest without an account (co-design sessions): the rules
    treat it as a brand-new account; repeat counting is left to the app's own rate limits.
    """
    if user is not None:
        ensure_may_contribute(user)
    entry = _entry(obj)
    now = timezone.now()
    since = now - timedelta(minutes=screening.conf("REPEAT_WINDOW_MINUTES"))
    flat = " ".join(plain_text(text).lower().split())
    digest = hashlib.sha256(flat.encode()).hexdigest()
    recent = {"posts": 0, "same": 0}
    if user is not None:
        recent = Submission.objects.filter(account=user, created_at__gte=since).aggregate(
            posts=Count("id"), same=Count("id", filter=Q(digest=digest))
        )
    ctx = screening.ScreenContext(
        text=text,
        account_age=now - user.date_joined if user is not None else timedelta(0),
        recent_posts=0 if edited else recent["posts"],
        recent_same_text=0 if edited else recent["same"],
        private=entry.private,
        channel=channel,
        earlier_posts=(
            Submission.objects.filter(account=user).count()
            if user is not None and channel in screening.conf("HOLD_FIRST_POST_CHANNELS")
            else 0
        ),
    )
    reasons = screening.screen(ctx)
    if not edited and user is not None:
        Submission.objects.create(account=user, digest=digest, created_at=now)
    if not reasons:
        return ScreenResult(False, [])
    case = _case_for(obj, entry)
    _reopen(case)
    case.held = True
    case.hold_reasons = reasons
    case.excerpt = plain_text(entry.text(obj))[:EXCERPT_MAX]
    was_hidden = case.is_hidden
    case.is_hidden = True
    case.save()
    _log(case=case, actor=None, action=ActionKind.HOLD, note=" ".join(reasons))
    if entry.on_hide and not was_hidden:
        entry.on_hide(obj, "")
    return ScreenResult(True, reasons)


# -- reports ----------------------------------------------------------------------------


def report_create(*, user: User, obj: Model, reason: str, text: str = "") -> Report:
    """Report content of any registered kind (not one's own, once per person)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to report content."))
    entry = _entry(obj)
    if entry.can_report is not None and not entry.can_report(user, obj):
        raise PermissionDenied(_("You can only report things you can see."))
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    text = plain_text(text)[:1000]
    if reason == Reason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong with it.")})
    author = entry.author(obj)
    if author is not None and getattr(author, "account_id", None) == user.pk:
        raise ValidationError(_("You cannot report your own contribution."))
    ct = ContentType.objects.get_for_model(obj)
    if Report.objects.filter(reporter=user, content_type=ct, object_id=obj.pk).exists():
        raise ValidationError(_("You have already reported this. A moderator will look at it."))
    with transaction.atomic():
        case = _case_for(obj, entry)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    case=case,
                    content_type=ct,
                    object_id=obj.pk,
                    reporter=user,
                    reason=reason,
                    text=text,
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already reported this. A moderator will look at it.")
            ) from None
        _reopen(case)
        case.report_count = F("report_count") + 1
        case.top_reason = reason if not case.top_reason else case.top_reason
        case.save()
        _log(case=case, actor=user, action=ActionKind.REPORT, reason=reason, note=text)
    return report


# -- decisions --------------------------------------------------------------------------


def _require_moderator(user: User, case: ModerationCase | None) -> None:
    """In scope for the case's agency (no case or no agency: any moderator)."""
    agency_id = getattr(case, "agency_id", None)
    if not permissions.can_moderate(user, agency_id):
        if agency_id is not None and permissions.can_moderate(user, None):
            raise PermissionDenied(
                _("This item belongs to %(agency)s: only its moderators can act on it.")
                % {"agency": case.agency}
            )
        raise PermissionDenied(_("Only moderators can do that."))


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
        community_services.notify(
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
    _require_moderator(moderator, case)
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
        logged = _log(
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
            Suspension.objects.create(
                account_id=case.author_account_id,
                action=logged,
                ends_at=now + timedelta(days=int(days)) if action == ActionKind.SUSPEND else None,
                reason=reason,
            )
        _notify_author(case, *_decision_message(action, reason, note, days, entry), moderator)
    return logged


def _decision_message(action, reason, note, days, entry) -> tuple[str, str]:
    kind = str(entry.kind_label).lower()
    why = str(Reason(reason).label).lower() if reason else ""
    appeal = _("You can appeal this decision once.")
    titles = {
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


# -- appeals ----------------------------------------------------------------------------


def _other_moderator(case: ModerationCase | None, exclude: int | None) -> User | None:
    """A moderator in scope other than the one who decided, with the fewest open appeals."""
    roles = [Role.MODERATOR, Role.AGENCY_ADMIN]
    members = Membership.objects.filter(role__in=roles, user__is_active=True)
    if getattr(case, "agency_id", None) is not None:
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
        _log(
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
    _require_moderator(moderator, case)
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
        _log(
            case=case,
            actor=moderator,
            action=ActionKind.APPEAL_GRANTED if grant else ActionKind.APPEAL_UPHELD,
            reason=action.reason,
            note=note,
            target=action.target_account_id,
        )
        community_services.notify(
            recipients=[locked.appellant],
            category="moderation",
            title=_("Your appeal was granted: the decision is reversed.")
            if grant
            else _("Your appeal was rejected: the decision stands."),
            body=note,
            url=reverse("moderation:my_actions"),
        )
    return locked


# -- account reveal ---------------------------------------------------------------------


def case_reveal_account(*, moderator: User, case: ModerationCase, reason: str) -> User | None:
    """The account behind the case's author, for a moderator in scope; the look is logged
    in the citizen-visible access log and in the moderation audit log."""
    _require_moderator(moderator, case)
    if case.author is None:
        return None
    with transaction.atomic():
        account = (
            community_services.persona_account_reveal(
                staff=moderator, persona=case.author, organisation=case.agency, reason=reason
            )
            if case.agency is not None
            else _reveal_platform(moderator, case, reason)
        )
        _log(case=case, actor=moderator, action=ActionKind.REVEAL, note=plain_text(reason))
    return account


def _reveal_platform(moderator: User, case: ModerationCase, reason: str) -> User | None:
    persona = case.author
    if persona.account_id is None or persona.is_anonymised:
        return None
    account = User.objects.get(pk=persona.account_id)
    community_services.account_access_record(staff=moderator, account=account, reason=reason)
    return account
