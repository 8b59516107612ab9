"""Voting by text message (registered in ``BudgetingConfig.ready``).

``VOTE 3 7 12`` casts (or replaces) the sender's ballot with projects 3, 7 and 12 of the
process that is voting — for ranked budgets in that order of preference. When several
processes vote at once, ``VOTE <code> 3 7 12`` names one by its text code. Numbers from
different budgets of the process make one ballot per budget. It goes through the same action
as the website (``actions.ballot_cast``, channel ``sms``), so the same limits, eligibility and
"the last ballot counts" apply, and a refusal changes nothing.

Only verified, active numbers reach commands (``community.sms.services``), and forged texts
never do: the webhook checks the gateway's signature first.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from community.sms.commands import Command, register_command
from ideas.budgeting import actions
from ideas.budgeting.models import Budget, BudgetProcess, Project, ReviewState


def _voting_processes() -> list[BudgetProcess]:
    now = timezone.now()
    return [
        p
        for p in BudgetProcess.objects.filter(voting_open__lte=now, voting_close__gt=now)
        if p.is_voting_at(now)
    ]


def _refused(exc: PermissionDenied | ValidationError) -> str:
    message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return _("%(reason)s Nothing was changed.") % {"reason": message}


def vote(command: Command) -> str:
    words = command.rest.replace(",", " ").split()
    processes = _voting_processes()
    process: BudgetProcess | None = None
    if words and not words[0].lstrip("#").isdigit():
        code = words.pop(0).upper()[:12]
        process = (
            BudgetProcess.objects.annotate(code=Upper("sms_code"))
            .filter(code=code, pk__in=[p.pk for p in processes])
            .first()
        )
        if process is None:
            return _("No budget with the code %(code)s is voting now. Nothing was changed.") % {
                "code": code
            }
    if not words or not all(w.lstrip("#").isdigit() for w in words):
        return _("Text VOTE and the numbers of the projects you choose, like this: VOTE 3 7 12")
    if process is None:
        if not processes:
            return _("No participatory budget is voting now. Nothing was changed.")
        if len(processes) > 1:
            codes = ", ".join(p.sms_code for p in processes if p.sms_code)
            return _(
                "Several budgets are voting. Text VOTE, the budget's code and your numbers, "
                "like this: VOTE %(code)s 3 7 12 (codes: %(codes)s)."
            ) % {"code": processes[0].sms_code or "CODE", "codes": codes}
        process = processes[0]
    numbers = [int(w.lstrip("#")) for w in words]
    projects = {
        p.number: p
        for p in Project.objects.filter(
            process=process, number__in=numbers, review_state=ReviewState.FEASIBLE, is_hidden=False
        )
    }
    unknown = [str(n) for n in numbers if n not in projects]
    if unknown:
        return _(
            "There is no project %(numbers)s on the ballot of “%(title)s”. Check the numbers "
            "and text again. Nothing was changed."
        ) % {"numbers": ", ".join(unknown), "title": process.title}
    by_budget: dict[int, list[int]] = {}
    for n in numbers:
        by_budget.setdefault(projects[n].budget_id, []).append(n)
    budgets = {b.pk: b for b in Budget.objects.filter(pk__in=by_budget)}
    try:
        with transaction.atomic():  # one budget refused: none of the ballots changes
            for budget_id, chosen in by_budget.items():
                actions.ballot_cast(
                    budget=budgets[budget_id], choices=chosen, channel="sms", user=command.user
                )
    except (PermissionDenied, ValidationError) as exc:
        return _refused(exc)
    return _(
        "Your vote for %(numbers)s in “%(title)s” is saved. You can change it until voting "
        "closes by texting VOTE again."
    ) % {"numbers": " ".join(str(n) for n in numbers), "title": process.title}


def register() -> None:
    register_command("VOTE", vote)
    register_command("VOTO", vote)
