"""Factories for participatory budgeting; build on community's factories."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from community.models import Role
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory, staff
from ideas.budgeting.models import (
    Budget,
    BudgetProcess,
    Phase,
    Project,
    ReviewState,
    VerifiedBy,
    Voter,
)

DAY = timedelta(days=1)


def phase_dates(phase: Phase, now: datetime | None = None) -> dict[str, datetime | None]:
    """Dates that put a process in ``phase`` now (each phase lasts days around now)."""
    now = now or timezone.now()
    offsets = {
        Phase.UPCOMING: 1,
        Phase.PROPOSALS: -1,
        Phase.REVIEW: -3,
        Phase.VOTING: -5,
        Phase.COUNTING: -7,
        Phase.RESULTS: -9,
    }
    start = now + offsets[phase] * DAY - timedelta(hours=1)
    return {
        "proposals_open": start,
        "proposals_close": start + 2 * DAY,
        "review_close": start + 3 * DAY,
        "voting_open": start + 4 * DAY,
        "voting_close": start + 6 * DAY,
        "results_published": now - timedelta(minutes=5) if phase == Phase.RESULTS else None,
    }


def set_phase(process: BudgetProcess, phase: Phase) -> BudgetProcess:
    for name, value in phase_dates(phase).items():
        setattr(process, name, value)
    process.closed_early_at = None
    process.save()
    return process


class ProcessFactory(factory.django.DjangoModelFactory):
    """A process of a new agency, voting now, verifying by register and at counters."""

    class Meta:
        model = BudgetProcess

    agency = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Participatory budget {n}")
    slug = factory.Sequence(lambda n: f"pb-{n}")
    register_fields = ["document_number", "postcode"]
    proposals_open = factory.LazyFunction(lambda: phase_dates(Phase.VOTING)["proposals_open"])
    proposals_close = factory.LazyFunction(lambda: phase_dates(Phase.VOTING)["proposals_close"])
    review_close = factory.LazyFunction(lambda: phase_dates(Phase.VOTING)["review_close"])
    voting_open = factory.LazyFunction(lambda: phase_dates(Phase.VOTING)["voting_open"])
    voting_close = factory.LazyFunction(lambda: phase_dates(Phase.VOTING)["voting_close"])


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Budget {n}")
    amount = 100_000
    max_choices = 3


class ProjectFactory(factory.django.DjangoModelFactory):
    """A feasible, costed project on its budget's ballot, numbered next in its process."""

    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    process = factory.LazyAttribute(lambda o: o.budget.process)
    number = factory.LazyAttribute(
        lambda o: (
            (
                Project.objects.filter(process=o.process)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )
    # A citizen's proposal (staff drawing projects from ideas pass proposer=None).
    proposer = factory.SubFactory(PersonaFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "Plant trees along the high street."
    cost = 30_000
    review_state = ReviewState.FEASIBLE


class VoterFactory(factory.django.DjangoModelFactory):
    """A resident verified at a counter, with an account."""

    class Meta:
        model = Voter

    process = factory.SubFactory(ProcessFactory)
    key = factory.Sequence(lambda n: f"doc:test{n:06d}")
    user = factory.SubFactory(UserFactory)
    verified_by = VerifiedBy.COUNTER
    birth_year = 1980


def counter_staff(process: BudgetProcess):
    return staff(Role.COUNTER_STAFF, process.agency)


def designer(process: BudgetProcess):
    return staff(Role.SERVICE_DESIGNER, process.agency)
