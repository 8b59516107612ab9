"""The demo budgets, seeded through the real seed_demo: Riverside voting with turnout, and a
finished city-wide budget whose results explain themselves and whose winners are on the
roadmap."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from ideas.backlog.selectors import roadmap_items
from ideas.budgeting.demo import CITYWIDE, RIVERSIDE
from ideas.budgeting.models import BudgetProcess, Phase, ReviewState

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_a_voting_and_a_finished_budget(client):
    call_command("seed_demo", verbosity=0)
    riverside = BudgetProcess.objects.get(slug=RIVERSIDE["slug"])
    citywide = BudgetProcess.objects.get(slug=CITYWIDE["slug"])
    assert riverside.phase == Phase.VOTING and citywide.phase == Phase.RESULTS
    budget = riverside.budgets.get()
    assert budget.projects.filter(review_state=ReviewState.FEASIBLE).count() == 5
    assert budget.projects.get(review_state=ReviewState.REJECTED).rejection_reason
    page = client.get(reverse("budgeting:budget", args=[riverside.slug, budget.pk]))
    assert "<strong data-turnout-total>40</strong>" in page.content.decode()
    done = citywide.budgets.get()
    html = client.get(reverse("budgeting:results", args=[citywide.slug, done.pk])).content.decode()
    assert "Paid for by" in html and "Won with" in html
    winners = done.projects.filter(backlog_item__isnull=False)
    assert winners.exists()
    on_roadmap = set(roadmap_items().values_list("pk", flat=True))
    assert set(winners.values_list("backlog_item_id", flat=True)) <= on_roadmap
    call_command("seed_demo", verbosity=0)
    assert BudgetProcess.objects.filter(slug=RIVERSIDE["slug"]).count() == 1, "idempotent"
