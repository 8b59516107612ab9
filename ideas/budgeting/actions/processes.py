"""Processes and budgets: creating them, closing voting early, counting and publishing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.models import Organisation, User
from community.places.models import District
from community.text import clean_title
from ideas.budgeting import engine, permissions, selectors
from ideas.budgeting.models import (
    TITLE_MAX,
    Ballot,
    BallotKind,
    Budget,
    BudgetProcess,
    BudgetResult,
    CountingRule,
    Phase,
)
from ideas.budgeting.registers import REGISTER_FIELD_NAME


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "budget"
    slug, n = base, 2
    while BudgetProcess.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def process_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    description: str = "",
    proposals_open: datetime,
    proposals_close: datetime,
    review_close: datetime,
    voting_open: datetime,
    voting_close: datetime,
    min_age: int | None = None,
    verify_by_register: bool = True,
    verify_at_counter: bool = True,
    verify_by_phone: bool = False,
    register_fields: Sequence[str] = (),
    sms_code: str = "",
    district: District | None = None,
) -> BudgetProcess:
    """Create a budget process for ``agency`` (its service designers and admins)."""
    if not permissions.can_create_process(user, agency):
        raise PermissionDenied(_("Only the agency's service designers run participatory budgets."))
    title = clean_title(title, max_length=TITLE_MAX)
    if not (proposals_open <= proposals_close <= review_close <= voting_open < voting_close):
        raise ValidationError(
            _(
                "The phases must follow each other: proposals open, proposals close, review "
                "ends, voting opens, voting closes."
            )
        )
    fields = [str(name).strip() for name in register_fields if str(name).strip()]
    if verify_by_register and not fields:
        raise ValidationError(
            {
                "register_fields": _(
                    "Choose the register fields residents type to prove who they are."
                )
            }
        )
    bad = [name for name in fields if not REGISTER_FIELD_NAME.match(name)]
    if bad:
        raise ValidationError(
            {
                "register_fields": _(
                    "Register field names are letters, digits and underscores: %(names)s"
                )
                % {"names": ", ".join(bad)}
            }
        )
    if not (verify_by_register or verify_at_counter or verify_by_phone):
        raise ValidationError(_("Choose at least one way for residents to be verified."))
    if min_age is not None and not 0 < min_age < 120:
        raise ValidationError({"min_age": _("The minimum age must be between 1 and 119.")})
    with transaction.atomic():
        return BudgetProcess.objects.create(
            agency=agency,
            title=title,
            slug=_unique_slug(title),
            description=(description or "").strip(),
            proposals_open=proposals_open,
            proposals_close=proposals_close,
            review_close=review_close,
            voting_open=voting_open,
            voting_close=voting_close,
            min_age=min_age,
            verify_by_register=verify_by_register,
            verify_at_counter=verify_at_counter,
            verify_by_phone=verify_by_phone,
            register_fields=fields,
            sms_code=(sms_code or "").strip().upper(),
            district=district,
            created_by=user,
        )


def budget_create(
    *,
    user: User,
    process: BudgetProcess,
    name: str,
    amount: int,
    ballot_kind: str = BallotKind.APPROVAL,
    min_choices: int = 0,
    max_choices: int | None = None,
    points: int | None = None,
    rule: str = CountingRule.EQUAL_SHARES,
    district: District | None = None,
) -> Budget:
    """Add a budget to ``process`` before voting opens."""
    if not permissions.can_manage_process(user, process):
        raise PermissionDenied(_("Only the agency's service designers manage this budget."))
    if process.phase not in (Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW):
        raise ValidationError(_("Budgets cannot be added once voting has started."))
    name = clean_title(name, field="name", label=_("Name"), max_length=TITLE_MAX)
    errors: dict[str, str] = {}
    if amount <= 0:
        errors["amount"] = _("The amount must be more than 0.")
    if ballot_kind not in BallotKind.values:
        errors["ballot_kind"] = _("Choose a kind of ballot.")
    if rule not in CountingRule.values:
        errors["rule"] = _("Choose a counting rule.")
    if min_choices < 0 or (max_choices is not None and max_choices < max(min_choices, 1)):
        errors["max_choices"] = _(
            "The most choices must be at least 1 and at least the fewest choices."
        )
    if ballot_kind == BallotKind.CUMULATIVE and not points:
        errors["points"] = _("A cumulative ballot needs the number of points each voter shares.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return Budget.objects.create(
            process=process,
            name=name,
            amount=amount,
            ballot_kind=ballot_kind,
            min_choices=min_choices,
            max_choices=max_choices,
            points=points if ballot_kind == BallotKind.CUMULATIVE else None,
            rule=rule,
            district=district,
            position=process.budgets.count(),
        )


def voting_close_early(*, user: User, process: BudgetProcess) -> BudgetProcess:
    """Staff end voting now (before the planned close); nothing can be cast after."""
    if not permissions.can_manage_process(user, process):
        raise PermissionDenied(_("Only the agency's service designers manage this budget."))
    if process.phase != Phase.VOTING:
        raise ValidationError(_("Voting is not open, so it cannot be closed."))
    with transaction.atomic():
        locked = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        locked.closed_early_at = timezone.now()
        locked.save(update_fields=["closed_early_at"])
    return locked


def engine_inputs(budget: Budget) -> tuple[list[engine.Project], list[engine.Ballot], list[int]]:
    """The engine's projects and counted ballots for ``budget`` (ballot ids in the same order,
    so ``paid_by``'s ballot index can be traced back for delivery, never published)."""
    projects = [
        engine.Project(id=str(p.number), cost=int(p.cost or 0), name=p.title)
        for p in selectors.ballot_projects(budget)
    ]
    ids: list[int] = []
    ballots: list[engine.Ballot] = []
    for pk, choices in selectors.counted_ballots(budget).values_list("pk", "choices"):
        ids.append(pk)
        ballots.append(engine.Ballot(choices={str(k): int(v) for k, v in choices.items()}))
    return projects, ballots, ids


def results_compute(*, user: User, budget: Budget) -> BudgetResult:
    """Count ``budget`` with its rule after voting closed; stores (or replaces) the result.

    Unconfirmed paper ballots are not counted. Results stay private until published.
    """
    reason = permissions.why_not_count(user, budget)
    if reason:
        raise PermissionDenied(reason)
    projects, ballots, _ids = engine_inputs(budget)
    result = engine.compute(
        engine.RuleName(budget.rule),
        projects,
        ballots,
        int(budget.amount),
        kind=engine.BallotKind(budget.ballot_kind),
    )
    fates = {
        pid: {
            "selected": fate.selected,
            "score": fate.score,
            "reason": str(fate.reason),
            "remaining_before": fate.remaining_before,
            "rank": fate.rank,
            "paid_by": {str(i): round(float(a), 2) for i, a in fate.paid_by.items()},
        }
        for pid, fate in result.fates.items()
    }
    with transaction.atomic():
        stored, _created = BudgetResult.objects.update_or_create(
            budget=budget,
            defaults={
                "rule": budget.rule,
                "amount": budget.amount,
                "selected": list(result.selected),
                "spent": result.spent,
                "fates": fates,
                "ballots_counted": len(ballots),
                "computed_at": timezone.now(),
                "computed_by": user,
            },
        )
    return stored


def results_publish(*, user: User, process: BudgetProcess) -> BudgetProcess:
    """Publish the results of every budget in ``process`` (each must have been counted)."""
    reason = permissions.why_not_count(user, process)
    if reason:
        raise PermissionDenied(reason)
    missing = [b.name for b in process.budgets.filter(result__isnull=True)]
    if missing:
        raise ValidationError(
            _("Count every budget before publishing: %(names)s") % {"names": ", ".join(missing)}
        )
    unconfirmed = selectors.pending_paper_ballots(process).count()
    if unconfirmed:
        raise ValidationError(
            ngettext(
                "%(n)d paper ballot is waiting for a second member of staff: confirm it "
                "(and count again) before publishing.",
                "%(n)d paper ballots are waiting for a second member of staff: confirm them "
                "(and count again) before publishing.",
                unconfirmed,
            )
            % {"n": unconfirmed}
        )
    stale = [
        result.budget.name
        for result in BudgetResult.objects.filter(budget__process=process).select_related("budget")
        if Ballot.objects.filter(
            budget_id=result.budget_id, is_counted=True, confirmed_at__gt=result.computed_at
        ).exists()
    ]
    if stale:
        raise ValidationError(
            _("Paper ballots were confirmed after counting: count again first: %(names)s")
            % {"names": ", ".join(stale)}
        )
    with transaction.atomic():
        locked = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        locked.results_published = timezone.now()
        locked.save(update_fields=["results_published"])
    return locked
