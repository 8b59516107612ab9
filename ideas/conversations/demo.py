"""Demo conversation: "Buses after dark" on a Northvale Transport challenge, with 300
simulated participants in three opinion groups (night-shift workers, safety first, cost
first) and common ground every group shares, so the report shows three groups and
consensus right after ``seed_demo``.

Statements go through the actions; the simulated votes are planted in bulk
(``ideas.opinion.simulate``) by accounts without personas or passwords
(``demo-conversation-voter-N``), then the map is computed once. Idempotent: the
conversation is found by (agency, title) and left as it is.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from community.models import User
from ideas.conversations import actions, opinion
from ideas.conversations.models import Conversation, Statement, StatementVote
from ideas.models import Challenge

ORDER = 47

AGENCY = "northvale-transport"
RUNNER = "designer@northvale.example"
TITLE = "Buses after dark: what should change?"
QUESTION = (
    "Fewer buses run after 8 pm. Tell us which changes matter to you: agree, disagree or "
    "pass on each statement, and add your own."
)
GROUP_SIZES = (120, 100, 80)
# Owned statements in planted order: group 0 (night workers), 1 (safety), 2 (cost); the last
# three are common ground (see ideas.opinion.simulate.planted_votes).
STATEMENTS = [
    "Buses should run every 30 minutes until 1 am on the main routes",
    "Shift workers need a bus that meets the hospital's 11 pm shift change",
    "A night bus to the industrial estate matters more than daytime frequency",
    "Every stop served after dark should have lighting and a shelter",
    "Drivers should be able to stop between stops at night on request",
    "Staffed stations matter more to me than more frequent buses",
    "Evening fares should be cheaper than peak fares",
    "A daily fare cap would help me more than more buses",
    "Extra night buses are not worth a fare rise",
    "Live arrival times should be shown at night stops",
    "The last bus times should be the same every day of the week",
    "Cancelled evening buses should be announced by text",
]
SMS_CODE = "NIGHTBUS"


def _voters(count: int) -> list[User]:
    names = [f"demo-conversation-voter-{n + 1}" for n in range(count)]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    missing = [
        User(username=name, password=make_password(None)) for name in names if name not in existing
    ]
    User.objects.bulk_create(missing)
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found[name] for name in names]


def plant(
    conversation: Conversation,
    statements: list[Statement],
    sizes,
    *,
    seed: int = 7,
    density: float = 0.6,
):
    """Plant votes of ``sum(sizes)`` simulated people in ``len(sizes)`` opinion groups on
    ``statements`` (the last three common ground); returns (voters, planted)."""
    from ideas.opinion.simulate import planted_votes

    planted = planted_votes(
        sizes, len(statements), density=density, common_ground=3, fidelity=0.9, seed=seed
    )
    voters = _voters(sum(sizes))
    by_key = {key: voters[i] for i, key in enumerate(planted.matrix.participants.tolist())}
    StatementVote.objects.bulk_create(
        [
            StatementVote(
                statement=statements[int(planted.matrix.statements[col])],
                account=by_key[int(planted.matrix.participants[row])],
                value=int(value),
            )
            for row, col, value in zip(
                planted.matrix.rows, planted.matrix.cols, planted.matrix.values, strict=True
            )
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return voters, planted


def compute_now(conversation_id: int) -> None:
    """Store the conversation's map now (the demo cannot wait for the worker)."""
    from ideas.opinion import services

    services.schedule_recompute(opinion.KIND, conversation_id)
    services.map_recompute(kind=opinion.KIND, subject_id=conversation_id)


def seed(context: dict) -> dict:
    agency = (context.get("agencies") or {}).get(AGENCY)
    runner = (context.get("users") or {}).get(RUNNER)
    if agency is None or runner is None:
        return {}
    conversation = Conversation.objects.filter(agency=agency, title=TITLE).first()
    if conversation is None:
        challenge = Challenge.objects.filter(agency=agency).order_by("pk").first()
        ordered = _ordered_for_planting()
        conversation = actions.conversation_create(
            user=runner,
            agency=agency,
            challenge=challenge,
            title=TITLE,
            question=QUESTION,
            sms_code=SMS_CODE
            if not Conversation.objects.filter(sms_code=SMS_CODE).exists()
            else "",
            statements=STATEMENTS,
        )
        statements = list(conversation.statements.order_by("number"))
        plant(conversation, [statements[i] for i in ordered], GROUP_SIZES)
        compute_now(conversation.pk)
    return {"conversations": [conversation]}


def _ordered_for_planting() -> list[int]:
    """Statement indexes in the order planted_votes assigns them: owned by group 0, 1, 2 in
    turn (round robin), then common ground."""
    from ideas.opinion.simulate import planted_votes

    probe = planted_votes((3, 3, 3), len(STATEMENTS), density=1.0, common_ground=3, seed=1)
    owned = {group: [] for group in range(3)}
    for statement, group in sorted(probe.owned.items()):
        owned[group].append(statement)
    by_theme = [i for group in range(3) for i in range(group * 3, group * 3 + 3)]
    order = [0] * len(STATEMENTS)
    for group in range(3):
        for k, statement in enumerate(owned[group]):
            order[statement] = by_theme[group * 3 + k]
    for k, statement in enumerate(sorted(probe.common_ground)):
        order[statement] = 9 + k
    return order
