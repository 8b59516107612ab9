"""Projects: proposals screened like ideas, drawn from ideas and co-design outcomes, reviewed
(cost for feasible ones, a public reason for every rejection) and merged, and processes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import Notification
from community.tests.factories import PersonaFactory, UserFactory
from ideas.budgeting import actions, selectors
from ideas.budgeting.models import BallotKind, Phase, Project, ReviewState
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProcessFactory,
    ProjectFactory,
    designer,
    set_phase,
)
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    budget = BudgetFactory()
    set_phase(budget.process, Phase.PROPOSALS)
    return budget


def test_a_citizen_proposes_a_project_that_waits_for_review_and_follows_it(budget):
    persona = PersonaFactory()
    project = actions.project_propose(
        user=persona.account, budget=budget, title="A playground", description="Swings please."
    )
    assert (project.number, project.review_state, project.proposer) == (1, "submitted", persona)
    assert not project.screening.held
    assert list(selectors.ballot_projects(budget)) == []
    second = actions.project_propose(
        user=persona.account, budget=budget, title="Benches", description="Along the river."
    )
    assert second.number == 2


def test_proposals_outside_the_proposals_phase_are_refused(budget):
    set_phase(budget.process, Phase.REVIEW)
    with pytest.raises(PermissionDenied, match="not open"):
        actions.project_propose(
            user=PersonaFactory().account, budget=budget, title="Late", description="Too late."
        )
    assert not Project.objects.exists()


def test_a_proposal_with_html_in_the_title_names_the_field(budget):
    with pytest.raises(ValidationError) as exc:
        actions.project_propose(
            user=PersonaFactory().account, budget=budget, title="<b>Hi</b>", description=""
        )
    assert set(exc.value.message_dict) == {"title", "description"}


def test_review_needs_a_cost_for_feasible_and_a_public_reason_for_rejected(budget):
    project = ProjectFactory(budget=budget, review_state=ReviewState.SUBMITTED, cost=None)
    boss = designer(budget.process)
    with pytest.raises(ValidationError, match="cost"):
        actions.project_review(user=boss, project=project, feasible=True)
    with pytest.raises(ValidationError, match="public reason"):
        actions.project_review(user=boss, project=project, feasible=False)
    with pytest.raises(ValidationError, match="whole budget"):
        actions.project_review(user=boss, project=project, feasible=True, cost=10**9)
    rejected = actions.project_review(
        user=boss, project=project, feasible=False, rejection_reason="Not council land."
    )
    assert (rejected.review_state, rejected.rejection_reason) == ("rejected", "Not council land.")
    feasible = actions.project_review(user=boss, project=project, feasible=True, cost=25_000)
    assert feasible.on_ballot and feasible.rejection_reason == ""
    assert list(selectors.ballot_projects(budget)) == [feasible]


def test_the_proposer_is_told_about_the_review(budget):
    persona = PersonaFactory()
    project = actions.project_propose(
        user=persona.account, budget=budget, title="Trees", description="Shade on Main St."
    )
    actions.project_review(
        user=designer(budget.process), project=project, feasible=False, rejection_reason="No."
    )
    note = Notification.objects.get(recipient=persona.account)
    assert "Trees" in note.title


def test_only_the_agencys_designers_review_and_only_before_voting(budget):
    project = ProjectFactory(budget=budget, review_state=ReviewState.SUBMITTED, cost=None)
    with pytest.raises(PermissionDenied):
        actions.project_review(user=UserFactory(), project=project, feasible=True, cost=5)
    set_phase(budget.process, Phase.VOTING)
    with pytest.raises(PermissionDenied, match="voting has started"):
        actions.project_review(
            user=designer(budget.process), project=project, feasible=True, cost=5
        )


def test_merging_a_duplicate_takes_it_off_the_ballot_and_moves_its_followers(budget):
    persona = PersonaFactory()
    duplicate = actions.project_propose(
        user=persona.account, budget=budget, title="Trees", description="More trees."
    )
    survivor = ProjectFactory(budget=budget)
    merged = actions.project_merge(user=designer(budget.process), project=duplicate, into=survivor)
    assert (merged.review_state, merged.merged_into) == (ReviewState.MERGED, survivor)
    assert persona.account.follows.filter(object_id=survivor.pk).exists()
    with pytest.raises(ValidationError):
        actions.project_merge(user=designer(budget.process), project=survivor, into=survivor)


def test_staff_draw_projects_from_their_agencys_ideas_only(budget):
    idea = IdeaFactory(challenge=ChallengeFactory(agency=budget.process.agency), title="Lights")
    project = actions.project_from_idea(user=designer(budget.process), budget=budget, idea=idea)
    assert (project.idea, project.title, project.proposer) == (idea, "Lights", idea.persona)
    assert idea.persona.account.follows.filter(object_id=project.pk).exists()
    stranger = IdeaFactory()
    with pytest.raises(ValidationError):
        actions.project_from_idea(user=designer(budget.process), budget=budget, idea=stranger)


def test_process_dates_must_follow_each_other():
    agency = ProcessFactory().agency
    boss = designer(ProcessFactory(agency=agency))
    now = timezone.now()
    day = timedelta(days=1)
    with pytest.raises(ValidationError, match="follow each other"):
        actions.process_create(
            user=boss, agency=agency, title="Budget", proposals_open=now,
            proposals_close=now + day, review_close=now + 3 * day, voting_open=now + 2 * day,
            voting_close=now + 4 * day, register_fields=["document_number"],
        )  # fmt: skip
    process = actions.process_create(
        user=boss, agency=agency, title="Budget 2027", proposals_open=now,
        proposals_close=now + day, review_close=now + 2 * day, voting_open=now + 3 * day,
        voting_close=now + 4 * day, register_fields=["document_number"],
    )  # fmt: skip
    assert process.slug == "budget-2027" and process.phase == Phase.PROPOSALS
    with pytest.raises(ValidationError) as exc:
        actions.budget_create(
            user=boss, process=process, name="Parks", amount=0, ballot_kind=BallotKind.CUMULATIVE
        )
    assert set(exc.value.message_dict) == {"amount", "points"}
    with pytest.raises(PermissionDenied):
        actions.process_create(
            user=UserFactory(), agency=agency, title="X", proposals_open=now,
            proposals_close=now, review_close=now, voting_open=now, voting_close=now + day,
        )  # fmt: skip


def test_turnout_suppresses_small_numbers_and_costs_one_query(
    django_assert_num_queries,
):
    from ideas.budgeting import actions as budgeting
    from ideas.budgeting.tests.factories import VoterFactory

    budget = BudgetFactory()
    ProjectFactory(budget=budget)
    for _ in range(3):
        budgeting.ballot_cast(
            budget=budget, choices=[1], user=VoterFactory(process=budget.process).user
        )
    with django_assert_num_queries(1):
        turnout = selectors.turnout(budget)
    assert not turnout.total.shown and turnout.total.display == "fewer than 5"
    for _ in range(3):
        budgeting.ballot_cast(
            budget=budget, choices=[1], user=VoterFactory(process=budget.process).user
        )
    turnout = selectors.turnout(budget)
    assert turnout.total.shown and turnout.total.value == 6
