"""Demo co-design sessions: one finished workshop with its summary and outcomes (promoted to
Northvale Transport's backlog) and one scheduled for next week; Dana (designer@) facilitates.

Everything goes through the actions, in the order a real session would. Idempotent: a
session is found by (agency, title) first and left as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from community.models import Persona
from ideas.codesign import actions
from ideas.codesign.models import CodesignSession, Phase
from ideas.models import Challenge

ORDER = 37

AGENCY = "northvale-transport"
FACILITATOR = "designer@northvale.example"
PEOPLE = [
    "citizen@northvale.example",
    "sam@northvale.example",
    "joe@northvale.example",
    "priya@northvale.example",
]
FINISHED = "Reliable buses: what would help most?"
SCHEDULED = "Bus stop information: first ideas"

# (person index, prompt index, text, group name)
NOTES = [
    (0, 0, "The app showed the bus was 2 minutes away and it was right", "Live information"),
    (1, 1, "Paper timetables at my stop are from last year", "Live information"),
    (2, 1, "No way to know if the last bus is cancelled", "Live information"),
    (3, 1, "Buses bunch up: three at once, then nothing for 30 minutes", "Spacing of buses"),
    (0, 2, "Screens at the busiest stops showing minutes to the next bus", "Live information"),
    (1, 2, "Drivers wait at timing points so buses stay spaced out", "Spacing of buses"),
    (2, 0, "Drivers are friendly when I ask about connections", None),
    (3, 2, "A text message when my usual bus is more than 10 minutes late", "Live information"),
]
# person index → groups voted for (one dot each)
VOTES = {
    0: ["Live information", "Live information", "Spacing of buses"],
    1: ["Live information", "Spacing of buses", "Spacing of buses"],
    2: ["Live information", "Live information"],
    3: ["Spacing of buses", "Live information", "Live information"],
}
OUTCOMES = [
    (
        "Live arrival times at the 20 busiest stops",
        "Screens (or a simple QR code page) showing minutes to the next bus, including "
        "cancellations.",
        "Live information",
    ),
    (
        "Keep buses evenly spaced on the busiest routes",
        "Trial holding buses briefly at timing points on route 7 to stop bunching.",
        "Spacing of buses",
    ),
]


def _primary(user) -> Persona | None:
    return (
        Persona.objects.filter(account=user, is_anonymised=False)
        .order_by("-is_primary", "pk")
        .first()
    )


def _run_finished(agency, facilitator, people, challenge) -> CodesignSession:
    session = actions.session_create(
        user=facilitator,
        agency=agency,
        title=FINISHED,
        goal="Agree the two changes that would make buses feel most reliable, so we can start "
        "on them this year.",
        scheduled_at=timezone.now() - timedelta(days=9),
        prompts=["What works today?", "What gets in the way?", "What could we try?"],
        challenge=challenge,
        hide_notes=True,
        vote_budget=3,
        group_cap=2,
        seed_ideas=list(challenge.ideas.order_by("-support_count", "pk")[:2]) if challenge else [],
    )
    me = actions.participant_join(user=facilitator, session=session, persona=_primary(facilitator))
    parts = [
        actions.participant_join(user=user, session=session, persona=_primary(user))
        for user in people
    ]
    prompts = list(session.prompts.all())

    def step(phase):
        nonlocal session
        session.refresh_from_db()
        session = actions.phase_set(
            user=facilitator, session=session, phase=phase, version=session.version
        )

    step(Phase.BRIEF)
    step(Phase.DIVERGE)
    notes = []
    for who, prompt, text, group in NOTES:
        note = actions.note_add(
            participant=parts[who], session=session, text=text, prompt=prompts[prompt].pk
        )
        notes.append((note, group))
    step(Phase.CLUSTER)  # reveals the notes
    groups = {}
    for _note, name in notes:
        if name and name not in groups:
            groups[name] = actions.group_create(participant=me, session=session, name=name)
    for note, name in notes:
        if name:
            note.refresh_from_db()
            actions.note_move(
                participant=parts[0], note_id=note.pk, version=note.version, group=groups[name].pk
            )
    step(Phase.VOTE)
    for who, names in VOTES.items():
        for name in names:
            actions.dot_cast(participant=parts[who], session=session, group_id=groups[name].pk)
    step(Phase.DECIDE)
    for title, description, name in OUTCOMES:
        outcome = actions.outcome_create(
            user=facilitator,
            session=session,
            title=title,
            description=description,
            group_id=groups[name].pk,
        )
        actions.outcome_promote(user=facilitator, outcome=outcome)
    step(Phase.SUMMARY)
    return session


def seed(context: dict) -> dict:
    agencies = context.get("agencies") or {}
    users = context.get("users") or {}
    agency = agencies.get(AGENCY)
    facilitator = users.get(FACILITATOR)
    if agency is None or facilitator is None:
        return {}
    people = [users[e] for e in PEOPLE if e in users]
    challenge = Challenge.objects.filter(agency=agency).order_by("pk").first()
    finished = CodesignSession.objects.filter(agency=agency, title=FINISHED).first()
    if finished is None:
        finished = _run_finished(agency, facilitator, people, challenge)
    scheduled = CodesignSession.objects.filter(agency=agency, title=SCHEDULED).first()
    if scheduled is None:
        scheduled = actions.session_create(
            user=facilitator,
            agency=agency,
            title=SCHEDULED,
            goal="Find out what people need to know while they wait at a bus stop.",
            scheduled_at=timezone.now() + timedelta(days=7),
            prompts=["What do you want to know at the stop?", "Where do you look today?"],
            challenge=challenge,
            allow_guests=True,
            vote_budget=5,
            group_cap=3,
        )
    return {"codesign_sessions": [finished, scheduled]}
