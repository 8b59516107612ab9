"""Reads for the queue, item pages, public visibility and the transparency page."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from community.models import Membership, Role, User
from community.moderation.models import (
    ActionKind,
    CaseState,
    ModerationAction,
    ModerationCase,
    Reason,
    Suspension,
)
from community.types import AnyUser

AGES = {"day": timedelta(days=1), "week": timedelta(days=7)}


def moderated_agency_ids(user: User) -> set[int] | None:
    """Agencies whose content ``user`` moderates; None means every agency (superuser)."""
    if user.is_superuser:
        return None
    return set(
        Membership.objects.filter(
            user=user, role__in=[Role.MODERATOR, Role.AGENCY_ADMIN]
        ).values_list("organisation_id", flat=True)
    )


def queue(
    *, user: User, kind: str = "", reason: str = "", older_than: str = ""
) -> QuerySet[ModerationCase]:
    """Pending reported and held items the moderator may act on, oldest first.

    Agency content only for the moderator's agencies; platform-wide content (no agency) for
    every moderator. Constant queries whatever the length.
    """
    cases = ModerationCase.objects.filter(state=CaseState.PENDING).select_related(
        "content_type", "agency", "author"
    )
    agencies = moderated_agency_ids(user)
    if agencies is not None:
        cases = cases.filter(Q(agency_id__in=agencies) | Q(agency__isnull=True))
    if kind:
        app_label, _dot, model = kind.partition(".")
        cases = cases.filter(content_type__app_label=app_label, content_type__model=model)
    if reason == "held":
        cases = cases.filter(held=True)
    elif reason:
        cases = cases.filter(reports__reason=reason).distinct()
    if older_than in AGES:
        cases = cases.filter(opened_at__lte=timezone.now() - AGES[older_than])
    return cases.order_by("opened_at", "id")


def case_detail(pk: int) -> ModerationCase:
    return (
        ModerationCase.objects.select_related("content_type", "agency", "author", "decided_by")
        .prefetch_related("reports")
        .get(pk=pk)
    )


def actions_on_author(case: ModerationCase, *, limit: int = 20) -> list[ModerationAction]:
    """Decisions earlier taken on the same account (seen by persona only)."""
    if case.author_account_id is None:
        return []
    return list(
        ModerationAction.objects.filter(
            target_account_id=case.author_account_id,
            action__in=[a for a in ActionKind.values if a not in ("report", "appeal", "reveal")],
        )
        .exclude(case=case)
        .select_related("case__content_type")
        .order_by("-created_at")[:limit]
    )


def hidden_q(model: type[Model]) -> Exists:
    """An ``Exists`` expression: the row is held or hidden (use in ``.exclude(...)``)."""
    meta = model._meta
    return Exists(
        ModerationCase.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=OuterRef("pk"),
            is_hidden=True,
        )
    )


def is_hidden(obj: Model) -> bool:
    """Is this one object held or hidden? (One query; lists use :func:`hidden_q`.)"""
    meta = obj._meta
    return ModerationCase.objects.filter(
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id=obj.pk,
        is_hidden=True,
    ).exists()


def case_of(obj: Model) -> ModerationCase | None:
    """The moderation case of one object, if it has one (one query)."""
    meta = obj._meta
    return ModerationCase.objects.filter(
        content_type__app_label=meta.app_label,
        content_type__model=meta.model_name,
        object_id=obj.pk,
    ).first()


def hidden_cases(model: type[Model], ids: list[int]) -> dict[int, ModerationCase]:
    """object id → case, for the given rows that are held, hidden or edited (one query)."""
    if not ids:
        return {}
    meta = model._meta
    return {
        c.object_id: c
        for c in ModerationCase.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=ids,
        ).filter(Q(is_hidden=True) | Q(state=CaseState.EDITED))
    }


def my_actions(user: User) -> QuerySet[ModerationAction]:
    """Decisions about the user's own contributions, with any appeal."""
    return (
        ModerationAction.objects.filter(
            target_account=user,
            action__in=["hide", "edit", "warn", "suspend", "ban", "approve"],
        )
        .select_related("case__content_type", "appeal")
        .order_by("-created_at")
    )


def open_appeals(user: User) -> QuerySet:
    from community.moderation.models import Appeal

    appeals = Appeal.objects.filter(state=Appeal.State.OPEN).select_related(
        "action__case__agency", "action__actor", "assigned_to"
    )
    agencies = moderated_agency_ids(user)
    if agencies is not None:
        appeals = appeals.filter(
            Q(action__case__agency_id__in=agencies) | Q(action__case__agency__isnull=True)
        )
    return appeals.exclude(action__actor=user).order_by("created_at")


def transparency(actions: list[ModerationAction] | None = None) -> list[dict[str, Any]]:
    """Monthly figures computed from the audit log alone, newest month first.

    For each month: reports received, decisions by action and by reason, and the median
    seconds from a case opening to its decision.
    """
    if actions is None:
        actions = list(
            ModerationAction.objects.only("action", "reason", "waited", "created_at").order_by(
                "created_at"
            )
        )
    months: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "reports": 0,
            "holds": 0,
            "by_action": Counter(),
            "by_reason": Counter(),
            "waits": [],
        }
    )
    decisions = {"approve", "hide", "edit", "warn", "suspend", "ban"}
    for row in actions:
        month = months[row.created_at.strftime("%Y-%m")]
        if row.action == ActionKind.REPORT:
            month["reports"] += 1
        elif row.action == ActionKind.HOLD:
            month["holds"] += 1
        elif row.action in decisions:
            month["by_action"][row.action] += 1
            if row.reason:
                month["by_reason"][row.reason] += 1
            if row.waited is not None:
                month["waits"].append(row.waited)
    result = []
    for key in sorted(months, reverse=True):
        month = months[key]
        waits = month.pop("waits")
        month["month"] = key
        month["decisions"] = sum(month["by_action"].values())
        month["median_seconds"] = statistics.median(waits) if waits else None
        result.append(month)
    return result


def public_notice(case: ModerationCase | None) -> str:
    """What the public reads in place of (or beside) moderated content; "" when nothing."""
    from django.utils.translation import gettext as _

    if case is None:
        return ""
    if case.is_hidden and case.state == CaseState.PENDING:
        return _("Awaiting review by a moderator.")
    if case.is_hidden:
        return hidden_label(case.public_reason)
    if case.state == CaseState.EDITED:
        return _("Edited by a moderator: %(note)s") % {"note": case.public_note}
    return ""


def hidden_label(reason: str) -> str:
    """What the public sees in place of hidden content."""
    from django.utils.translation import gettext as _

    if not reason:
        return _("Hidden by a moderator.")
    return _("Hidden by a moderator: %(reason)s") % {"reason": str(Reason(reason).label).lower()}


# -- suspensions ------------------------------------------------------------------------


def _active_suspensions() -> QuerySet[Suspension]:
    """Suspensions and bans in force now (not lifted; no end date, or one still ahead)."""
    return Suspension.objects.filter(lifted_at__isnull=True).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now())
    )


def active_suspension(user: AnyUser) -> Suspension | None:
    """The suspension or ban in force on ``user`` now (a ban first), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        _active_suspensions()
        .filter(account_id=user.pk)
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )


def account_suspended(account_field: str) -> Exists:
    """A query expression: the account in ``account_field`` is suspended or banned now.

    For hot paths that read the account's row anyway (a co-design action): annotate it, and
    call :func:`community.permissions.ensure_may_contribute` (for the message) only when it
    is true, instead of a query of its own on every action.
    """
    return Exists(_active_suspensions().filter(account=OuterRef(account_field)))
