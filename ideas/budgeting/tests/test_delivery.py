"""Sending a finished budget's winners to the backlog: one public, triaged item per winner on
the roadmap, traced to the project, and one close-the-loop notification to each voter who
chose it (through the backlog's own mechanism)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Notification, Role
from community.tests.factories import PersonaFactory, staff
from ideas.backlog.actions.loop import participants
from ideas.backlog.models import BacklogSourceLink, ItemStatus
from ideas.backlog.selectors import roadmap_items
from ideas.budgeting.actions.delivery import winners_deliver
from ideas.budgeting.tests import webfactories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    process = f.process("results")
    budget = f.budget(process, amount=100_000)
    bench = f.project(budget, cost=60_000, title="Benches by the river")
    lights = f.project(budget, cost=50_000, title="Lights on the path")
    f.project(budget, cost=30_000, title="A drinking fountain")
    choosers = f.voters_with_ballots(budget, [[1, 3], [1, 3], [1], [2], [2, 3]])
    f.counted(budget)
    return process, budget, bench, lights, choosers


def test_winners_become_public_triaged_items_traced_to_their_project(finished):
    process, budget, bench, lights, _users = finished
    designer = staff(Role.SERVICE_DESIGNER, process.agency)
    items = winners_deliver(user=designer, budget=budget)
    assert [i.title for i in items] == ["Benches by the river", "A drinking fountain"]
    for item in items:
        assert item.is_public and item.status == ItemStatus.TRIAGED
        assert item.agency_id == process.agency_id
        assert BacklogSourceLink.objects.filter(item=item).count() == 1
        assert item.public_updates.filter(body__contains=process.title).exists()
    bench.refresh_from_db()
    lights.refresh_from_db()
    assert bench.backlog_item == items[0] and lights.backlog_item is None
    assert set(roadmap_items().values_list("pk", flat=True)) >= {i.pk for i in items}


def test_everyone_who_chose_a_winner_hears_back_once_and_nobody_else(finished):
    process, budget, _bench, _lights, users = finished
    designer = staff(Role.SERVICE_DESIGNER, process.agency)
    items = winners_deliver(user=designer, budget=budget)
    fountain = items[1]
    assert participants(fountain) == {users[0].pk, users[1].pk, users[4].pk}
    won = Notification.objects.filter(category="backlog.status", title__contains="won the vote")
    per_user = {u.pk: won.filter(recipient=u).count() for u in users}
    assert per_user == {
        users[0].pk: 2,
        users[1].pk: 2,
        users[2].pk: 1,
        users[3].pk: 0,
        users[4].pk: 1,
    }


def test_delivering_twice_refuses_and_creates_nothing_more(finished):
    process, budget, *_ = finished
    designer = staff(Role.SERVICE_DESIGNER, process.agency)
    winners_deliver(user=designer, budget=budget)
    with pytest.raises(ValidationError, match="already in the backlog"):
        winners_deliver(user=designer, budget=budget)


def test_only_the_agencys_designers_deliver(finished):
    _process, budget, *_ = finished
    with pytest.raises(PermissionDenied):
        winners_deliver(user=PersonaFactory().account, budget=budget)
    with pytest.raises(PermissionDenied):
        winners_deliver(user=staff(Role.SERVICE_DESIGNER), budget=budget)


def test_unpublished_results_are_not_delivered():
    process = f.process("counting")
    budget = f.budget(process)
    f.project(budget)
    f.voters_with_ballots(budget, [[1]])
    f.counted(budget)
    with pytest.raises(ValidationError, match="not published"):
        winners_deliver(user=staff(Role.SERVICE_DESIGNER, process.agency), budget=budget)


def test_the_roadmap_update_reads_in_spanish_for_a_spanish_visitor(finished):
    """The words the platform writes itself on the roadmap come in every site language (the
    Spanish journey met "Chosen by residents in …" in English)."""
    process, budget, bench, _lights, _users = finished
    bench.translations = {"es": {"title": "Bancos junto al río", "description": "Diez bancos."}}
    bench.save(update_fields=["translations"])
    items = winners_deliver(user=staff(Role.SERVICE_DESIGNER, process.agency), budget=budget)
    update = items[0].public_updates.get()
    assert update.translations["es"]["body"].startswith("Elegido por los vecinos en «")
    assert items[0].translations["es"] == {
        "title": "Bancos junto al río",
        "problem": "Diez bancos.",
    }
