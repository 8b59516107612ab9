"""Ballots on every channel: web, text message, counter and paper (entered, then confirmed by a
second member of staff).

One row per voter and budget (UNIQUE(budget, voter)). Every write locks the voter row first
(``SELECT … FOR UPDATE``), so two ballots from the same person at once — two tabs, web and
SMS, web and paper — are applied one after the other: the later one replaces the earlier
(``version`` + 1, the old choices kept as a ``BallotRevision``), or, for paper, is refused.
Should the lock ever be bypassed, the unique constraint still refuses a second row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from community.permissions import can_assist
from ideas.budgeting import eligibility, engine, permissions, selectors
from ideas.budgeting.events import BUDGET_TURNOUT, turnout_data, turnout_stream
from ideas.budgeting.models import (
    Ballot,
    BallotKind,
    BallotRevision,
    Budget,
    Channel,
    Voter,
)
from realtime.events import publish


def clean_choices(
    budget: Budget, choices: Mapping[str | int, object] | Iterable[int]
) -> dict[str, int]:
    """``choices`` as ``{project number as text: weight}``, validated by the engine against
    the budget's rules; ``ValidationError`` lists every limit broken, naming it.

    A list of project numbers is an approval/knapsack ballot, or, for ranked ballots, the
    order of preference (first = rank 1).
    """
    if isinstance(choices, Mapping):
        raw: dict[str, int] = {}
        for key, value in choices.items():
            try:
                number, weight = int(str(key).strip().lstrip("#")), int(str(value))
            except (TypeError, ValueError):
                raise ValidationError(
                    _("“%(value)s” is not a project number with a whole-number weight.")
                    % {"value": str(key)[:20]}
                ) from None
            if weight == 0 and budget.ballot_kind in (BallotKind.CUMULATIVE, BallotKind.RANKED):
                continue  # no points / not ranked: not chosen
            raw[str(number)] = weight
    else:
        numbers = [int(n) for n in choices]
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("Each project can be chosen only once."))
        if budget.ballot_kind == BallotKind.CUMULATIVE:
            raise ValidationError(
                _("This budget shares out %(points)d points: give each project its points.")
                % {"points": budget.points or 0}
            )
        if budget.ballot_kind == BallotKind.RANKED:
            raw = {str(n): rank for rank, n in enumerate(numbers, start=1)}
        else:
            raw = {str(n): 1 for n in numbers}
    costs = {
        str(n): int(c or 0)
        for n, c in selectors.ballot_projects(budget).values_list("number", "cost")
    }
    rules = engine.BallotRules(
        kind=engine.BallotKind(budget.ballot_kind),
        budget=int(budget.amount),
        min_choices=budget.min_choices,
        max_choices=budget.max_choices,
        points=budget.points,
    )
    errors = engine.validate_ballot(rules, raw, costs)
    if errors:
        raise ValidationError(errors)
    return raw


def _publish_turnout(budget: Budget) -> None:
    publish(
        stream=turnout_stream(budget.pk),
        type=BUDGET_TURNOUT,
        object_id=budget.pk,
        data=turnout_data(selectors.turnout(budget)),
    )


def _write(
    *,
    budget: Budget,
    voter: Voter,
    choices: dict[str, int],
    channel: str,
    counted: bool,
    entered_by: User | None = None,
    refuse_existing: bool = False,
) -> Ballot:
    """Insert or replace the voter's ballot; call inside ``transaction.atomic``."""
    Voter.objects.select_for_update().filter(pk=voter.pk).first()  # one writer per person
    now = timezone.now()
    ballot = Ballot.objects.select_for_update().filter(budget=budget, voter=voter).first()
    if ballot is not None and refuse_existing:
        if ballot.channel == Channel.PAPER and not ballot.is_counted:
            raise ValidationError(
                _("A paper ballot for this person is already entered and waiting for confirmation.")
            )
        raise ValidationError(
            _(
                "This person has already voted (%(channel)s): a paper ballot cannot replace it, "
                "so it is not entered."
            )
            % {"channel": Channel(ballot.channel).label}
        )
    if ballot is None:
        try:
            with transaction.atomic():
                return Ballot.objects.create(
                    budget=budget,
                    voter=voter,
                    channel=channel,
                    choices=choices,
                    is_counted=counted,
                    entered_by=entered_by,
                    submitted_at=now,
                )
        except IntegrityError:
            ballot = Ballot.objects.select_for_update().get(budget=budget, voter=voter)
            if refuse_existing:
                raise ValidationError(_("This person has already voted.")) from None
    BallotRevision.objects.create(
        ballot=ballot,
        version=ballot.version,
        channel=ballot.channel,
        choices=ballot.choices,
        submitted_at=ballot.submitted_at,
        replaced_at=now,
    )
    ballot.channel = channel
    ballot.choices = choices
    ballot.version += 1
    ballot.is_counted = counted
    ballot.entered_by = entered_by
    ballot.confirmed_by = None
    ballot.confirmed_at = None
    ballot.submitted_at = now
    ballot.save()
    return ballot


def _check_voter(voter: Voter, budget: Budget) -> None:
    reason = eligibility.why_not_eligible(voter, budget)
    if reason:
        raise PermissionDenied(reason)


def ballot_cast(
    *,
    budget: Budget,
    choices: Mapping[str | int, object] | Iterable[int],
    channel: str = Channel.WEB,
    user: User | None = None,
    voter: Voter | None = None,
    staff: User | None = None,
) -> Ballot:
    """Cast (or change) a ballot while voting is open; the last one counts.

    Web and text: ``user`` votes as themselves (``actions.voter_for_account``). Counter:
    ``staff`` (the agency's counter staff) enter it for ``voter``, who is present. Refused,
    with a reason that changes nothing: outside the voting phase, not verified, not eligible
    (age, district), choices outside the budget's limits (the message names the limit).
    Publishes ``budget.turnout`` after commit.
    """
    from ideas.budgeting.actions.voters import voter_for_account

    reason = permissions.why_not_vote(user, budget)
    if reason:
        raise PermissionDenied(reason)
    if channel == Channel.PAPER:
        raise ValidationError(_("Paper ballots are entered and confirmed by staff."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    if channel == Channel.COUNTER:
        if staff is None or voter is None or not can_assist(staff, budget.process.agency):
            raise PermissionDenied(_("Only the agency's counter staff take ballots at a counter."))
    else:
        if user is None:
            raise PermissionDenied(_("Sign in to vote."))
        voter = voter_for_account(user=user, process=budget.process)
    assert voter is not None
    _check_voter(voter, budget)
    cleaned = clean_choices(budget, choices)
    with transaction.atomic():
        ballot = _write(
            budget=budget,
            voter=voter,
            choices=cleaned,
            channel=channel,
            counted=True,
            entered_by=staff if channel == Channel.COUNTER else None,
        )
        _publish_turnout(budget)
    return ballot


def paper_ballot_enter(
    *,
    staff: User,
    budget: Budget,
    voter: Voter,
    choices: Mapping[str | int, object] | Iterable[int],
) -> Ballot:
    """Counter staff type in a paper ballot for ``voter`` (verified at the counter). It does
    not count until another member of staff confirms it (:func:`paper_ballot_confirm`).
    Refused if the person already has a ballot in this budget on any channel."""
    reason = permissions.why_not_enter_paper(staff, budget)
    if reason:
        raise PermissionDenied(reason)
    _check_voter(voter, budget)
    cleaned = clean_choices(budget, choices)
    with transaction.atomic():
        return _write(
            budget=budget,
            voter=voter,
            choices=cleaned,
            channel=Channel.PAPER,
            counted=False,
            entered_by=staff,
            refuse_existing=True,
        )


def paper_ballot_confirm(
    *, staff: User, ballot: Ballot, choices: Mapping[str | int, object] | Iterable[int]
) -> Ballot:
    """A second member of staff re-types the paper ballot's choices; when they match the
    first entry the ballot counts. Mismatches are refused (check the paper) and change
    nothing. Publishes ``budget.turnout``."""
    reason = permissions.why_not_confirm_paper(staff, ballot)
    if reason:
        raise PermissionDenied(reason)
    budget = ballot.budget
    cleaned = clean_choices(budget, choices)
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.channel != Channel.PAPER or locked.is_counted:
            raise ValidationError(_("This ballot is not a paper ballot waiting for confirmation."))
        if locked.entered_by_id == staff.pk:
            raise PermissionDenied(
                _(
                    "A paper ballot must be confirmed by a second member of staff, not the one who entered it."
                )
            )
        if locked.choices != cleaned:
            raise ValidationError(
                _(
                    "These choices differ from the first entry. Check the paper ballot; if the "
                    "first entry was wrong, discard it and enter the ballot again."
                )
            )
        locked.is_counted = True
        locked.confirmed_by = staff
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["is_counted", "confirmed_by", "confirmed_at"])
        _publish_turnout(budget)
    return locked


def paper_ballot_discard(*, staff: User, ballot: Ballot) -> None:
    """Counter staff remove a paper ballot that was entered wrongly, before it is confirmed."""
    reason = permissions.why_not_enter_paper(staff, ballot.budget)
    if reason:
        raise PermissionDenied(reason)
    with transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if locked.channel != Channel.PAPER or locked.is_counted:
            raise ValidationError(
                _("Only paper ballots waiting for confirmation can be discarded.")
            )
        locked.delete()
