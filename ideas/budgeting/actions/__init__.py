"""Every write in participatory budgeting, one module per concern (check, then do).

Views, the SMS ``VOTE`` command, the API, the demo and the admin call these; there is one way
to vote. All take keyword arguments only; refusals are ``PermissionDenied`` (who / when) or
``ValidationError`` (what to fix; messages name the limit) and change nothing.

API for pb-web (and everyone else):

* processes — ``process_create(user, agency, title, …dates…, register_fields, …)``,
  ``budget_create(user, process, name, amount, ballot_kind, min_choices, max_choices, points,
  rule, district)``, ``voting_close_early(user, process)``, ``results_compute(user, budget)``
  → ``BudgetResult`` (after voting closes), ``results_publish(user, process)``.
* projects — ``project_propose(user, budget, title, description, persona=None)`` (check
  ``project.screening.held``), ``project_from_idea(user, budget, idea)``,
  ``project_from_outcome(user, budget, outcome)``, ``project_review(user, project, feasible,
  cost, feasibility, rejection_reason, budget=None)``, ``project_merge(user, project, into)``.
* voters — ``register_import(user, process, text)`` → ``RegisterImport(imported, replaced)``,
  ``voter_verify_web(user, process, values={field: value})``, ``voter_verify_counter(staff,
  process, consent_given, consent_method, values=… | document=…, birth_year, district,
  citizen=None)``, ``voter_for_account(user, process)`` (the voter a signed-in account votes
  as; raises saying how to get verified).
* ballots — ``ballot_cast(budget, choices, channel="web", user=…)`` (counter: ``staff=…,
  voter=…, channel="counter"``), ``paper_ballot_enter(staff, budget, voter, choices)``,
  ``paper_ballot_confirm(staff, ballot, choices)`` (a second member of staff re-types the
  choices), ``paper_ballot_discard(staff, ballot)``, ``clean_choices(budget, choices)``.
  ``choices`` is ``{project number: weight}`` (approval/knapsack 1, cumulative points, ranked
  1..n) or a list of project numbers (ranked: in order of preference).

Reads are in ``ideas.budgeting.selectors`` (``turnout``, ``ballot_projects``, ``voter_for``,
``ballot_of``, ``pending_paper_ballots``, ``result_of``, ``voters_who_chose``…).
"""

from ideas.budgeting.actions.ballots import (
    ballot_cast,
    clean_choices,
    paper_ballot_confirm,
    paper_ballot_discard,
    paper_ballot_enter,
)
from ideas.budgeting.actions.processes import (
    budget_create,
    process_create,
    results_compute,
    results_publish,
    voting_close_early,
)
from ideas.budgeting.actions.projects import (
    project_from_idea,
    project_from_outcome,
    project_merge,
    project_propose,
    project_review,
)
from ideas.budgeting.actions.voters import (
    RegisterImport,
    register_import,
    voter_for_account,
    voter_verify_counter,
    voter_verify_web,
)

__all__ = [
    "RegisterImport",
    "ballot_cast",
    "budget_create",
    "clean_choices",
    "paper_ballot_confirm",
    "paper_ballot_discard",
    "paper_ballot_enter",
    "process_create",
    "project_from_idea",
    "project_from_outcome",
    "project_merge",
    "project_propose",
    "project_review",
    "register_import",
    "results_compute",
    "results_publish",
    "voter_for_account",
    "voter_verify_counter",
    "voter_verify_web",
    "voting_close_early",
]
