"""Demo participatory budgets (Northvale Transport):

* **Riverside district budget** in its voting phase: six reviewed projects (one rejected with
  its public reason), a resident register the demo residents are on (document number and
  postcode, see ``REGISTER``), and 40 simulated ballots so the live turnout shows numbers;
* **Streets for everyone 2026**, city-wide and finished: counted with the Method of Equal
  Shares, results published, and its winners delivered to the backlog, so they are on the
  public roadmap.

Proposals, reviews, the register, counting, publishing and delivery go through the actions.
Between phases the demo moves the process's dates (time passing); the simulated voters and
their ballots are planted in bulk (``demo-budget-voter-N`` accounts without passwords), as
the conversation demo plants its votes. Idempotent: a process is found by its slug.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from community.models import User
from community.moderation.models import Submission
from ideas.budgeting import actions
from ideas.budgeting.actions.delivery import winners_deliver
from ideas.budgeting.models import (
    Ballot,
    Budget,
    BudgetProcess,
    Channel,
    Project,
    VerifiedBy,
    Voter,
)

ORDER = 48

AGENCY = "northvale-transport"
RUNNER = "designer@northvale.example"
DAY = timedelta(days=1)

# The demo's resident register: (document number, postcode, birth year). The journey's
# resident is the first row; every resident of the demo is on it.
REGISTER = [
    ("NV100001", "NV1 2AB", 1988),
    ("NV100002", "NV1 3CD", 1975),
    ("NV100003", "NV2 4EF", 2001),
    ("NV100004", "NV2 5GH", 1960),
]
FIELDS = ["document_number", "postcode"]

RIVERSIDE = {
    "slug": "riverside-district-budget",
    "title": "Riverside district budget",
    "description": (
        "€150,000 for the Riverside district's streets and stops. Residents proposed "
        "projects, Northvale Transport costed them, and now Riverside residents choose up to "
        "three."
    ),
    "budget": ("Riverside", 150_000, "approval", 3, "equal-shares"),
    "projects": [
        (
            "Shelters at the four riverside stops",
            "Roofed shelters with seats and lighting.",
            48_000,
        ),
        ("Safe crossing at Mill Street school", "A raised zebra crossing with a beacon.", 36_000),
        ("Bike racks at the market square", "Forty covered bike stands.", 12_000),
        ("Live arrival screens", "Screens at the six busiest stops.", 54_000),
        ("Benches along the towpath", "A bench every 200 metres.", 18_000),
        ("A riverside tram line", "A tram from the station to the weir.", None),
    ],
    "rejected": "A tram line costs far more than this budget; it is in the city's transport plan.",
    "voters": 40,
}
CITYWIDE = {
    "slug": "streets-for-everyone-2026",
    "title": "Streets for everyone 2026",
    "description": "The city-wide budget for safer, friendlier streets, decided by residents.",
    "budget": ("Whole city", 200_000, "approval", 4, "equal-shares"),
    "projects": [
        ("Night bus to the hospital", "A bus meeting the 11 pm shift change.", 80_000),
        ("Step-free access at Central station", "A lift to platform 2.", 120_000),
        (
            "Dropped kerbs in the old town",
            "Twenty dropped kerbs for wheelchairs and buggies.",
            30_000,
        ),
        ("Cycle lane on Harbour Road", "A protected lane along the harbour.", 90_000),
        ("Real-time bus text alerts", "Texts when an evening bus is cancelled.", 15_000),
    ],
    "voters": 120,
}


def _voters(count: int, offset: int) -> list[User]:
    names = [f"demo-budget-voter-{n}" for n in range(offset + 1, offset + count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=name, password=make_password(None)) for name in names if name not in existing
    )
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found[name] for name in names]


def _shift(process: BudgetProcess, phase: str) -> BudgetProcess:
    """Move the process's dates so that now falls in ``phase`` (time passing in the demo)."""
    now = timezone.now()
    start = {
        "proposals": now - DAY,
        "review": now - 3 * DAY,
        "voting": now - 5 * DAY,
        "counting": now - 10 * DAY,
    }[phase]
    BudgetProcess.objects.filter(pk=process.pk).update(
        proposals_open=start,
        proposals_close=start + 2 * DAY,
        review_close=start + 4 * DAY,
        voting_open=start + 4 * DAY,
        voting_close=start + (8 if phase == "counting" else 20) * DAY,
    )
    return BudgetProcess.objects.get(pk=process.pk)


def _plant(budget: Budget, count: int, offset: int, seed: int) -> None:
    """``count`` simulated residents, each verified by the register, with an approval
    ballot favouring the cheaper, popular projects (seeded, so every run plants the same)."""
    rng = random.Random(seed)
    numbers = list(budget.projects.filter(review_state="feasible").values_list("number", flat=True))
    weights = [5, 4, 3, 2, 2, 1][: len(numbers)]
    users = _voters(count, offset)
    voters = Voter.objects.bulk_create(
        Voter(
            process=budget.process,
            key=f"demo:{budget.process.slug}:{user.pk}",
            user=user,
            verified_by=VerifiedBy.REGISTER,
        )
        for user in users
    )
    ballots = []
    for voter in voters:
        chosen: set[int] = set()
        for _ in range(rng.randint(1, budget.max_choices or 3)):
            chosen.add(rng.choices(numbers, weights=weights)[0])
        ballots.append(
            Ballot(
                budget=budget,
                voter=voter,
                channel=Channel.WEB,
                choices={str(n): 1 for n in sorted(chosen)},
            )
        )
    Ballot.objects.bulk_create(ballots)


def _process(spec: dict, agency, runner: User, proposers: list) -> tuple[BudgetProcess, Budget]:
    now = timezone.now()
    process = actions.process_create(
        user=runner,
        agency=agency,
        title=spec["title"],
        description=spec["description"],
        proposals_open=now - DAY,
        proposals_close=now + DAY,
        review_close=now + 3 * DAY,
        voting_open=now + 3 * DAY,
        voting_close=now + 10 * DAY,
        register_fields=FIELDS,
    )
    BudgetProcess.objects.filter(pk=process.pk).update(slug=spec["slug"])
    process.refresh_from_db()
    name, amount, kind, most, rule = spec["budget"]
    budget = actions.budget_create(
        user=runner,
        process=process,
        name=name,
        amount=amount,
        ballot_kind=kind,
        max_choices=most,
        rule=rule,
    )
    projects = []
    proposed_from = timezone.now()
    for n, (title, description, _cost) in enumerate(spec["projects"]):
        projects.append(
            actions.project_propose(
                user=proposers[n % len(proposers)].account,
                persona=proposers[n % len(proposers)],
                budget=budget,
                title=title,
                description=description,
            )
        )
    # The proposals were made during the proposals phase, not in the last hour: the screening
    # rules (too many posts in an hour) must not count them against the demo's citizens.
    proposed_at = process.proposals_open
    Submission.objects.filter(
        account__in=[persona.account for persona in proposers], created_at__gte=proposed_from
    ).update(created_at=proposed_at)
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(created_at=proposed_at)
    process = _shift(process, "review")
    for project, (_title, _description, cost) in zip(projects, spec["projects"], strict=True):
        project.refresh_from_db()
        actions.project_review(
            user=runner,
            project=project,
            feasible=cost is not None,
            cost=cost,
            feasibility="Checked with the highways team." if cost else "",
            rejection_reason="" if cost else spec.get("rejected", "Not feasible."),
        )
    register = "document_number,postcode,birth_year\n" + "".join(
        f"{doc},{postcode},{year}\n" for doc, postcode, year in REGISTER
    )
    actions.register_import(user=runner, process=process, text=register)
    return process, budget


def seed(context: dict) -> dict:
    agency = (context.get("agencies") or {}).get(AGENCY)
    users = context.get("users") or {}
    runner = users.get(RUNNER)
    if agency is None or runner is None:
        return {}
    proposers = [
        u.personas.order_by("pk").first()
        for u in (users.get("citizen@northvale.example"), users.get("sam@northvale.example"))
        if u is not None
    ]
    made = {}
    citywide = BudgetProcess.objects.filter(slug=CITYWIDE["slug"]).first()
    if citywide is None:
        citywide, budget = _process(CITYWIDE, agency, runner, proposers)
        _shift(citywide, "voting")
        _plant(budget, CITYWIDE["voters"], 0, seed=23)
        citywide = _shift(citywide, "counting")
        actions.results_compute(user=runner, budget=Budget.objects.get(pk=budget.pk))
        citywide = actions.results_publish(user=runner, process=citywide)
        winners_deliver(user=runner, budget=Budget.objects.get(pk=budget.pk))
    made["citywide"] = citywide
    riverside = BudgetProcess.objects.filter(slug=RIVERSIDE["slug"]).first()
    if riverside is None:
        riverside, budget = _process(RIVERSIDE, agency, runner, proposers)
        riverside = _shift(riverside, "voting")
        _plant(budget, RIVERSIDE["voters"], CITYWIDE["voters"], seed=7)
    made["riverside"] = riverside
    return {"budget_processes": made}
