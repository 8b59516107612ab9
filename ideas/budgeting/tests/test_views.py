"""The budgeting pages without JavaScript: who sees what, the ballot's kinds and refusals,
the results explained, delivery, and query counts that do not grow with the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Role
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas.budgeting.models import Ballot, BallotKind
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


def test_the_list_is_in_the_main_navigation_and_shows_public_processes(client, voting):
    process, _budget = voting
    hidden = f.process("upcoming")
    html = client.get(url("process_list")).content.decode()
    assert f'href="{url("process_list")}"' in html
    assert process.title in html and hidden.title not in html


def test_the_process_page_shows_its_phases_budgets_and_a_vote_button(client, voting):
    process, budget = voting
    html = client.get(process.get_absolute_url()).content.decode()
    assert 'aria-current="step"' in html and "Voting" in html
    assert url("ballot", process.slug, budget.pk) in html
    assert "€100,000" in html


def test_an_upcoming_process_is_hidden_from_citizens_but_not_its_designers(client):
    process = f.process("upcoming")
    assert client.get(process.get_absolute_url()).status_code == 404
    client.force_login(staff(Role.SERVICE_DESIGNER, process.agency))
    assert client.get(process.get_absolute_url()).status_code == 200


def test_the_budget_page_lists_reviewed_projects_with_filters_and_turnout(client, voting):
    process, budget = voting
    f.project(budget, cost=None, title="Waiting for review")
    html = client.get(url("budget", process.slug, budget.pk)).content.decode()
    assert "Benches" in html and "Waiting for review" not in html
    assert f'data-socket="/ws/budgets/{budget.pk}/turnout/"' in html
    assert "Ballots so far:" in html
    cheap = client.get(url("budget", process.slug, budget.pk), {"sort": "cost"})
    assert [p.title for p in cheap.context["projects"]] == ["Fountain", "Lights", "Benches"]
    found = client.get(url("budget", process.slug, budget.pk), {"q": "light"})
    assert [p.title for p in found.context["projects"]] == ["Lights"]


def test_turnout_below_five_is_not_shown(client, voting):
    process, budget = voting
    f.voters_with_ballots(budget, [[1], [2]])
    html = client.get(url("budget", process.slug, budget.pk)).content.decode()
    assert "Ballots so far:" in html
    assert "<strong data-turnout-total>2</strong>" not in html
    f.voters_with_ballots(budget, [[1], [2], [3]])
    html = client.get(url("budget", process.slug, budget.pk)).content.decode()
    assert "<strong data-turnout-total>5</strong>" in html


def test_a_rejected_project_shows_its_public_reason(client, voting):
    _process, budget = voting
    rejected = f.project(
        budget, cost=None, review_state="rejected", rejection_reason="The land is private."
    )
    html = client.get(rejected.get_absolute_url()).content.decode()
    assert "The land is private." in html and "Not feasible" in html


def test_the_ballot_is_plain_checkboxes_and_states_its_limits(client, voting):
    process, budget = voting
    client.force_login(f.voter(process, user=UserFactory()).user)
    html = client.get(url("ballot", process.slug, budget.pk)).content.decode()
    assert html.count('type="checkbox" name="projects"') == 3
    assert "Choose at most 2 projects." in html
    assert "<legend>" in html


def test_a_signed_out_visitor_is_sent_to_sign_in(client, voting):
    process, budget = voting
    response = client.get(url("ballot", process.slug, budget.pk))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("kind", "fields", "marker"),
    [
        (BallotKind.CUMULATIVE, {"points": 10}, 'type="number" name="points_1"'),
        (BallotKind.RANKED, {}, '<select name="rank_1"'),
        (BallotKind.KNAPSACK, {}, "data-ballot-total"),
    ],
)
def test_every_ballot_kind_has_its_own_inputs(client, kind, fields, marker):
    process = f.process("voting")
    budget = f.budget(process, ballot_kind=kind, **fields)
    f.project(budget)
    f.project(budget)
    client.force_login(f.voter(process, user=UserFactory()).user)
    html = client.get(url("ballot", process.slug, budget.pk)).content.decode()
    assert marker in html


def test_outside_the_vote_the_ballot_page_says_why(client):
    process = f.process("review")
    budget = f.budget(process)
    f.project(budget)
    client.force_login(UserFactory())
    html = client.get(url("ballot", process.slug, budget.pk)).content.decode()
    assert "Voting is not open in this budget." in html
    assert 'name="projects"' not in html


def test_the_results_page_explains_every_fate(client):
    process = f.process("results")
    budget = f.budget(process, amount=100_000)
    f.project(budget, cost=60_000, title="Benches")
    f.project(budget, cost=50_000, title="Lights")
    f.project(budget, cost=30_000, title="Fountain")
    f.voters_with_ballots(budget, [[1, 3], [1, 3], [1], [2], [2, 3]])
    f.counted(budget)
    html = client.get(url("results", process.slug, budget.pk)).content.decode()
    assert "Won with 3 votes" in html
    assert "Skipped: it costs €50,000 but only €10,000 was left" in html
    assert "€90,000 of €100,000 funded" in html
    assert "Send winners to the backlog" not in html


def test_results_are_hidden_until_published(client):
    process = f.process("counting")
    budget = f.budget(process)
    f.project(budget)
    f.voters_with_ballots(budget, [[1]])
    f.counted(budget)
    assert client.get(url("results", process.slug, budget.pk)).status_code == 404
    client.force_login(staff(Role.SERVICE_DESIGNER, process.agency))
    assert client.get(url("results", process.slug, budget.pk)).status_code == 200


def test_a_designer_sends_the_winners_to_the_roadmap_from_the_results_page(client):
    process = f.process("results")
    budget = f.budget(process)
    f.project(budget, title="Benches by the river")
    f.voters_with_ballots(budget, [[1]])
    f.counted(budget)
    client.force_login(staff(Role.SERVICE_DESIGNER, process.agency))
    page = client.get(url("results", process.slug, budget.pk)).content.decode()
    assert "Send winners to the backlog" in page
    response = client.post(url("deliver", process.slug, budget.pk), follow=True)
    assert "now on the roadmap" in response.content.decode()
    roadmap = client.get(reverse("roadmap:index")).content.decode()
    assert "Benches by the river" in roadmap


def test_citizens_cannot_deliver(client):
    process = f.process("results")
    budget = f.budget(process)
    f.project(budget)
    f.counted(budget)
    client.force_login(PersonaFactory().account)
    assert client.post(url("deliver", process.slug, budget.pk)).status_code == 404


def test_the_saved_page_lists_the_ballot_in_rank_order(client):
    process = f.process("voting")
    budget = f.budget(process, ballot_kind=BallotKind.RANKED)
    for title in ("Benches", "Lights", "Fountain"):
        f.project(budget, title=title)
    user = UserFactory()
    f.ballot(budget, f.voter(process, user=user), {"3": 1, "1": 2})
    client.force_login(user)
    html = client.get(url("ballot_saved", process.slug, budget.pk)).content.decode()
    assert html.index("Fountain") < html.index("Benches") and "Lights" not in html
    assert "rank 1" in html


def test_the_saved_page_without_a_ballot_goes_to_the_ballot(client, voting):
    process, budget = voting
    client.force_login(UserFactory())
    response = client.get(url("ballot_saved", process.slug, budget.pk))
    assert response.status_code == 302 and response["Location"] == url(
        "ballot", process.slug, budget.pk
    )
    assert not Ballot.objects.exists()


def _grow(budget, n: int) -> None:
    for _ in range(n):
        f.project(budget)
    f.voters_with_ballots(budget, [[1, 2]] * n)


@pytest.mark.parametrize("page", ["process_list", "process", "budget"])
def test_list_pages_do_not_grow_in_queries(client, voting, page, django_assert_max_num_queries):
    process, budget = voting
    args = {"process_list": (), "process": (process.slug,), "budget": (process.slug, budget.pk)}
    target = url(page, *args[page])
    with django_assert_max_num_queries(25) as small:
        assert client.get(target).status_code == 200
    _grow(budget, 6)
    f.process("voting")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(target)


def test_results_page_does_not_grow_in_queries(client, django_assert_max_num_queries):
    process = f.process("results")
    budget = f.budget(process, amount=1_000_000)
    _grow(budget, 3)
    f.counted(budget)
    target = url("results", process.slug, budget.pk)
    with django_assert_max_num_queries(25) as small:
        assert client.get(target).status_code == 200
    other = f.process("results")
    big = f.budget(other, amount=1_000_000)
    _grow(big, 12)
    f.counted(big)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("results", other.slug, big.pk))
