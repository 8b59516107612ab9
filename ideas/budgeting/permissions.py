"""Who may do what in participatory budgeting, as named ``rules`` predicates (the one place
that decides; templates ask ``{% may "budgeting.vote_in_budget" user budget as ok %}``).

* **Create** a process for an agency, **manage** it (budgets, dates, close voting early,
  import the register, draw projects from ideas and outcomes, review and merge projects,
  count and publish results): the agency's service designers and agency admins, superusers
  (``budgeting.create_process``, ``budgeting.manage_process``, ``budgeting.review_project``,
  ``budgeting.count_results``).
* **See** a process: everyone once its proposals phase has started; before, its managers
  (``budgeting.read_process``). A project: everyone once it is not hidden and not waiting for
  review, its proposer and managers always (``budgeting.read_project``).
* **Propose** a project: any signed-in active account while proposals are open
  (``budgeting.propose_project``).
* **Verify** a resident at a counter and **enter / confirm** paper ballots: the agency's
  counter staff (and admins), while the process verifies at counters and voting has not been
  counted (``budgeting.verify_voter``, ``budgeting.enter_paper_ballot``); confirming needs a
  second staff member (``budgeting.confirm_paper_ballot``: not the one who entered it).
* **Vote** in a budget: while its process is voting (``budgeting.vote_in_budget``); who is
  eligible is decided by the voter record (``ideas.budgeting.eligibility``), not by a role.

``why_not_*`` give the reason shown to people, built from the same checks.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from community.models import Organisation
from community.permissions import can_assist, can_contribute, can_design, decision
from community.types import AnyUser
from ideas.budgeting.models import Ballot, Budget, BudgetProcess, Phase, Project, ReviewState


def _process_of(obj: BudgetProcess | Budget | Project) -> BudgetProcess:
    return obj if isinstance(obj, BudgetProcess) else obj.process


@rules.predicate
def runs_agency(user: AnyUser, agency: Organisation | int | None) -> bool:
    return bool(agency is not None and can_design(user, agency))


@rules.predicate
def manages(user: AnyUser, obj: BudgetProcess | Budget | Project) -> bool:
    return bool(can_design(user, _process_of(obj).agency_id))


@rules.predicate
def counter_staff(user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return bool(can_assist(user, _process_of(obj).agency))


@rules.predicate
def has_started(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return _process_of(obj).phase != Phase.UPCOMING


@rules.predicate
def proposals_open(_user: AnyUser, process: BudgetProcess) -> bool:
    return process.phase == Phase.PROPOSALS


@rules.predicate
def before_voting(_user: AnyUser, obj: BudgetProcess | Project) -> bool:
    return _process_of(obj).phase in (Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW)


@rules.predicate
def voting(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return _process_of(obj).phase == Phase.VOTING


@rules.predicate
def verification_open(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    """Residents may be verified ahead of the vote (during review) and while it is open."""
    return _process_of(obj).phase in (Phase.REVIEW, Phase.VOTING)


@rules.predicate
def not_yet_counted(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    """Voting or counting, before results are published (paper ballots are entered then)."""
    return _process_of(obj).phase in (Phase.VOTING, Phase.COUNTING)


@rules.predicate
def counting(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return _process_of(obj).phase == Phase.COUNTING


@rules.predicate
def verifies_at_counter(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return _process_of(obj).verify_at_counter


@rules.predicate
def project_public(_user: AnyUser, project: Project) -> bool:
    return (
        not project.is_hidden
        and project.review_state != ReviewState.SUBMITTED
        and project.process.phase != Phase.UPCOMING
    )


@rules.predicate
def proposed_it(user: AnyUser, project: Project) -> bool:
    proposer = project.proposer
    return bool(
        getattr(user, "is_authenticated", False)
        and proposer is not None
        and proposer.account_id == user.pk
    )


@rules.predicate
def is_contributor(user: AnyUser) -> bool:
    return bool(can_contribute(user))


@rules.predicate
def entered_by_someone_else(user: AnyUser, ballot: Ballot) -> bool:
    return bool(getattr(user, "is_authenticated", False) and ballot.entered_by_id != user.pk)


@rules.predicate
def counter_staff_of_ballot(user: AnyUser, ballot: Ballot) -> bool:
    return bool(can_assist(user, ballot.budget.process.agency))


@rules.predicate
def ballot_not_yet_counted(_user: AnyUser, ballot: Ballot) -> bool:
    return ballot.budget.process.phase in (Phase.VOTING, Phase.COUNTING)


can_create_process = runs_agency
can_manage_process = manages
can_view_process = has_started | manages
can_view_project = project_public | proposed_it | manages

can_propose, why_not_propose = decision(
    "can_propose",
    (is_contributor, _("Sign in to propose a project.")),
    (proposals_open, _("Proposals are not open in this budget.")),
)
can_review, why_not_review = decision(
    "can_review",
    (manages, _("Only the agency's staff review projects.")),
    (before_voting, _("Projects can no longer be reviewed: voting has started.")),
)
can_vote, why_not_vote = decision(
    "can_vote",
    (voting, _("Voting is not open in this budget.")),
)
can_verify_voter, why_not_verify_voter = decision(
    "can_verify_voter",
    (counter_staff, _("Only the agency's counter staff verify residents.")),
    (verifies_at_counter, _("This budget does not verify residents at counters.")),
    (
        verification_open,
        _("Residents can be verified only from the technical review until voting closes."),
    ),
)
can_enter_paper, why_not_enter_paper = decision(
    "can_enter_paper",
    (counter_staff, _("Only the agency's counter staff enter paper ballots.")),
    (
        not_yet_counted,
        _(
            "Paper ballots can be entered only after voting opens and before the results are published."
        ),
    ),
)
can_confirm_paper, why_not_confirm_paper = decision(
    "can_confirm_paper",
    (counter_staff_of_ballot, _("Only the agency's counter staff confirm paper ballots.")),
    (
        entered_by_someone_else,
        _(
            "A paper ballot must be confirmed by a second member of staff, not the one who entered it."
        ),
    ),
    (
        ballot_not_yet_counted,
        _("The results are published: paper ballots can no longer be confirmed."),
    ),
)
can_count, why_not_count = decision(
    "can_count",
    (manages, _("Only the agency's staff count the votes.")),
    (
        counting,
        _("Votes can be counted only after voting closes and before results are published."),
    ),
)

rules.add_perm("budgeting.create_process", can_create_process)
rules.add_perm("budgeting.manage_process", can_manage_process)
rules.add_perm("budgeting.read_process", can_view_process)
rules.add_perm("budgeting.read_project", can_view_project)
rules.add_perm("budgeting.propose_project", can_propose)
rules.add_perm("budgeting.review_project", can_review)
rules.add_perm("budgeting.vote_in_budget", can_vote)
rules.add_perm("budgeting.verify_voter", can_verify_voter)
rules.add_perm("budgeting.enter_paper_ballot", can_enter_paper)
rules.add_perm("budgeting.confirm_paper_ballot", can_confirm_paper)
rules.add_perm("budgeting.count_results", can_count)


@rules.predicate
def results_published(_user: AnyUser, obj: BudgetProcess | Budget) -> bool:
    return _process_of(obj).phase == Phase.RESULTS


# The results page: everyone once published; the process's managers from the count on (to
# check it before publishing).
can_view_results = results_published | manages
rules.add_perm("budgeting.read_results", can_view_results)
