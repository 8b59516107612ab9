"""The budgeting forms end to end through the actions, without JavaScript: casting and
changing a ballot, refusals that name the limit, proposing, reviewing, and the counter
(verifying with consent, a paper ballot entered by one member of staff and confirmed by
another)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Role
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas.budgeting import eligibility
from ideas.budgeting.models import (
    Ballot,
    BallotKind,
    Channel,
    Project,
    ResidentRegisterEntry,
    ReviewState,
    Voter,
)
from ideas.budgeting.tests import webfactories as f

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"budgeting:{name}", args=args)


@pytest.fixture
def voting():
    process = f.process("voting")
    budget = f.budget(process, amount=100_000, max_choices=2)
    for title, cost in (("Benches", 60_000), ("Lights", 50_000), ("Fountain", 30_000)):
        f.project(budget, cost=cost, title=title)
    return process, budget


def _voter(process):
    user = PersonaFactory().account
    f.voter(process, user=user)
    return user


def test_a_ballot_is_cast_then_changed_and_only_the_last_one_counts(client, voting):
    process, budget = voting
    client.force_login(_voter(process))
    first = client.post(url("ballot", process.slug, budget.pk), {"projects": ["1", "3"]})
    assert first.status_code == 302 and first["Location"] == url(
        "ballot_saved", process.slug, budget.pk
    )
    page = client.get(url("ballot", process.slug, budget.pk)).content.decode()
    assert 'value="1" id="project-1" checked' in page and "Save my changed ballot" in page
    client.post(url("ballot", process.slug, budget.pk), {"projects": ["2"]})
    ballot = Ballot.objects.get()
    assert ballot.choices == {"2": 1} and ballot.version == 2 and ballot.channel == Channel.WEB
    saved = client.get(url("ballot_saved", process.slug, budget.pk)).content.decode()
    assert "Lights" in saved and "Benches" not in saved


def test_too_many_choices_are_refused_with_the_limit_named(client, voting):
    process, budget = voting
    client.force_login(_voter(process))
    response = client.post(url("ballot", process.slug, budget.pk), {"projects": ["1", "2", "3"]})
    assert response.status_code == 400
    assert "at most 2" in response.content.decode()
    assert not Ballot.objects.exists()
    # what was ticked stays ticked
    assert 'value="3" id="project-3" checked' in response.content.decode()


def test_a_knapsack_ballot_over_the_budget_names_the_budget(client):
    process = f.process("voting")
    budget = f.budget(process, amount=100_000, ballot_kind=BallotKind.KNAPSACK)
    f.project(budget, cost=60_000)
    f.project(budget, cost=50_000)
    client.force_login(_voter(process))
    response = client.post(url("ballot", process.slug, budget.pk), {"projects": ["1", "2"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "110,000" in html and "100,000" in html
    assert not Ballot.objects.exists()


def test_cumulative_points_and_ranks_are_saved_as_weights(client):
    process = f.process("voting")
    points = f.budget(process, ballot_kind=BallotKind.CUMULATIVE, points=10, name="Points")
    f.project(points)
    f.project(points)
    user = _voter(process)
    client.force_login(user)
    client.post(url("ballot", process.slug, points.pk), {"points_1": "7", "points_2": "3"})
    assert Ballot.objects.get(budget=points).choices == {"1": 7, "2": 3}
    ranked = f.budget(process, ballot_kind=BallotKind.RANKED, name="Ranked")
    f.project(ranked)
    f.project(ranked)
    client.post(url("ballot", process.slug, ranked.pk), {"rank_3": "2", "rank_4": "1"})
    assert Ballot.objects.get(budget=ranked).choices == {"3": 2, "4": 1}


def test_an_unverified_account_is_told_how_to_get_verified(client, voting):
    process, budget = voting
    client.force_login(PersonaFactory().account)
    response = client.post(url("ballot", process.slug, budget.pk), {"projects": ["1"]})
    assert response.status_code == 400
    assert "Before you vote" in response.content.decode()
    assert not Ballot.objects.exists()


def test_voting_after_close_is_refused_and_changes_nothing(client):
    process = f.process("counting")
    budget = f.budget(process)
    f.project(budget)
    user = _voter(process)
    client.force_login(user)
    response = client.post(url("ballot", process.slug, budget.pk), {"projects": ["1"]})
    assert "Voting is not open" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_resident_proposes_a_project_as_a_persona(client):
    process = f.process("proposals")
    budget = f.budget(process)
    persona = PersonaFactory()
    client.force_login(persona.account)
    response = client.post(
        url("propose", process.slug),
        {
            "persona": persona.pk,
            "budget": budget.pk,
            "title": "Shade trees on Mill Street",
            "description": "Plant twelve trees so the bus stop has shade in summer.",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.proposer == persona and project.review_state == ReviewState.SUBMITTED
    # its proposer sees it before review; others do not yet
    assert client.get(project.get_absolute_url()).status_code == 200
    client.force_login(UserFactory())
    assert client.get(project.get_absolute_url()).status_code == 404


def test_proposals_outside_their_phase_are_refused(client, voting):
    process, _budget = voting
    client.force_login(PersonaFactory().account)
    html = client.get(url("propose", process.slug)).content.decode()
    assert (
        "Proposals are not open in this budget." in html
        and '<form method="post" novalidate>' not in html
    )


def test_a_designer_costs_a_project_or_rejects_it_with_a_public_reason(client):
    process = f.process("review")
    budget = f.budget(process)
    waiting = f.project(budget, cost=None, title="Skate park")
    client.force_login(staff(Role.SERVICE_DESIGNER, process.agency))
    assert "Skate park" in client.get(url("review", process.slug)).content.decode()
    refused = client.post(
        url("project_review", process.slug, waiting.number), {"decision": "rejected"}
    )
    assert refused.status_code == 400
    waiting.refresh_from_db()
    assert waiting.review_state == ReviewState.SUBMITTED
    client.post(
        url("project_review", process.slug, waiting.number),
        {"decision": "feasible", "cost": "45000", "feasibility": "Fits the park's plan."},
    )
    waiting.refresh_from_db()
    assert waiting.review_state == ReviewState.FEASIBLE and waiting.cost == 45_000


def test_citizens_cannot_open_the_review_or_the_counter(client, voting):
    process, _budget = voting
    client.force_login(PersonaFactory().account)
    assert client.get(url("review", process.slug)).status_code == 404
    assert client.get(url("counter", process.slug)).status_code == 404


def _registered(process, **values):
    values = {"document_number": "X1234567", "postcode": "NV1 2AB"} | values
    ResidentRegisterEntry.objects.create(
        process=process, key=eligibility.register_key(process, values), birth_year=1980
    )
    return values


def test_counter_staff_verify_a_resident_with_consent_who_then_votes_on_their_phone(client, voting):
    process, budget = voting
    values = _registered(process)
    resident = PersonaFactory().account
    client.force_login(staff(Role.COUNTER_STAFF, process.agency))
    without = client.post(
        url("counter_verify", process.slug), values | {"consent_method": "in_person"}
    )
    assert without.status_code == 400 and not Voter.objects.exists()
    response = client.post(
        url("counter_verify", process.slug),
        values | {"consent": "on", "consent_method": "in_person", "citizen_email": resident.email},
    )
    assert response.status_code == 302
    voter = Voter.objects.get()
    assert voter.user == resident and voter.consent_method == "in_person"
    client.force_login(resident)
    client.post(url("ballot", process.slug, budget.pk), {"projects": ["3"]})
    assert Ballot.objects.get().voter == voter


def test_a_paper_ballot_counts_only_when_a_second_member_of_staff_retypes_it(client, voting):
    process, budget = voting
    values = _registered(process)
    first, second = (staff(Role.COUNTER_STAFF, process.agency) for _ in range(2))
    client.force_login(first)
    client.post(
        url("paper_enter", process.slug),
        values
        | {
            "consent": "on",
            "consent_method": "in_person",
            "budget": budget.pk,
            "choices_text": "1 3",
        },
    )
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.PAPER and not ballot.is_counted
    page = client.get(url("counter", process.slug)).content.decode()
    assert "Another member of staff must confirm it." in page
    client.post(url("paper_confirm", process.slug, ballot.pk), {"choices_text": "1 3"})
    ballot.refresh_from_db()
    assert not ballot.is_counted
    client.force_login(second)
    mismatch = client.post(
        url("paper_confirm", process.slug, ballot.pk), {"choices_text": "1"}, follow=True
    )
    assert "differ from the first entry" in mismatch.content.decode()
    client.post(url("paper_confirm", process.slug, ballot.pk), {"choices_text": "3 1"})
    ballot.refresh_from_db()
    assert ballot.is_counted and ballot.confirmed_by == second


def test_the_same_resident_on_paper_after_the_web_is_refused(client, voting):
    process, budget = voting
    values = _registered(process)
    resident = PersonaFactory().account
    client.force_login(resident)
    client.post(url("verify", process.slug), values)
    client.post(url("ballot", process.slug, budget.pk), {"projects": ["2"]})
    client.force_login(staff(Role.COUNTER_STAFF, process.agency))
    response = client.post(
        url("paper_enter", process.slug),
        values
        | {
            "consent": "on",
            "consent_method": "in_person",
            "budget": budget.pk,
            "choices_text": "1",
        },
    )
    assert response.status_code == 400
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choices == {"2": 1}
