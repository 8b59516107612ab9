"""Demo backlogs: every agency has items in every status; accepted demo ideas are promoted
through the service (so their statuses follow), ideas already "in backlog" are linked.

Idempotent: items are found by (agency, title) first; a promoted idea is never promoted twice.
"""

from __future__ import annotations

from community.models import Role, User
from ideas import actions as idea_actions
from ideas import demo_translations
from ideas.backlog import actions
from ideas.backlog.models import BacklogHistory, BacklogIdeaLink, BacklogItem, ItemStatus
from ideas.models import Idea, Status

ORDER = 35

S = ItemStatus
ACCEPTED_RESPONSE = "Thank you: we are taking this forward and adding it to our backlog."
PATHS = {
    S.NEW: [],
    S.TRIAGED: [S.TRIAGED],
    S.IN_DISCOVERY: [S.TRIAGED, S.IN_DISCOVERY],
    S.IN_DELIVERY: [S.TRIAGED, S.IN_DISCOVERY, S.IN_DELIVERY],
    S.DONE: [S.TRIAGED, S.IN_DISCOVERY, S.IN_DELIVERY, S.DONE],
    S.WONT_DO: [S.TRIAGED, S.WONT_DO],
}

MESSAGES = {
    S.TRIAGED: "We have looked at this and it is worth exploring.",
    S.IN_DISCOVERY: "We are talking to residents and front-line staff to understand the problem.",
    S.IN_DELIVERY: "We are building this now and will test it with people who asked for it.",
    S.DONE: "This is now live. Thank you to everyone who shaped it.",
    S.WONT_DO: "The cost is far higher than the benefit for now; we will revisit it next year.",
}

# status → (title, problem, proposed change, reach, impact, confidence, effort, quarter, public)
GENERIC = {
    S.NEW: (
        "Plain-language letters",
        "People phone us because our letters are hard to follow.",
        "Rewrite the ten most-sent letters with residents.",
        8,
        5,
        6,
        3,
        "",
        True,
    ),
    S.TRIAGED: (
        "Evening opening once a week",
        "Working people cannot reach us in office hours.",
        "Trial one late opening a week at the main office.",
        6,
        6,
        5,
        4,
        "2027-Q2",
        True,
    ),
    S.IN_DISCOVERY: (
        "One login for every form",
        "People re-enter the same details on every form.",
        "Prefill forms from the account.",
        9,
        6,
        4,
        7,
        "2027-Q3",
        True,
    ),
    S.IN_DELIVERY: (
        "Text reminders for appointments",
        "Missed appointments waste everyone's time.",
        "Send an SMS reminder the day before.",
        7,
        5,
        8,
        2,
        "2027-Q1",
        True,
    ),
    S.DONE: (
        "Accessible PDF forms",
        "Screen reader users could not complete our forms.",
        "Replace PDFs with accessible web forms.",
        4,
        8,
        9,
        3,
        "2026-Q4",
        True,
    ),
    S.WONT_DO: (
        "Fax submissions",
        "A few people still asked to send documents by fax.",
        "Keep a fax line.",
        1,
        2,
        5,
        6,
        "",
        True,
    ),
}


def _actor(context: dict) -> User | None:
    users = context.get("users") or {}
    return users.get("admin@northvale.example") or User.objects.filter(is_superuser=True).first()


def _owner(agency) -> User | None:
    return (
        User.objects.filter(
            memberships__organisation=agency,
            memberships__role__in=[Role.SERVICE_DESIGNER, Role.AGENCY_ADMIN],
        )
        .order_by("pk")
        .first()
    )


def _walk(actor, item, target):
    """Move a fresh (new) item to ``target`` the way staff would, with public updates."""
    for status in PATHS[target]:
        item = actions.item_transition(
            user=actor, item=item, status=status, message=MESSAGES[status]
        )
    return item


PROMOTED_TARGETS = [S.IN_DISCOVERY, S.DONE, S.IN_DELIVERY]


def seed(context: dict) -> dict:
    agencies = context.get("agencies") or {}
    actor = _actor(context)
    if not agencies or actor is None:
        return {}
    items: list[BacklogItem] = []
    for agency in agencies.values():
        owner = _owner(agency)
        # The agency accepts its most supported open ideas until two have been promoted.
        promoted = BacklogHistory.objects.filter(
            item__agency=agency, via=BacklogHistory.Via.PROMOTION, field="created"
        ).count()
        candidates = Idea.objects.visible().filter(
            challenge__agency=agency, status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]
        )
        accepted_now = (
            Idea.objects.visible().filter(challenge__agency=agency, status=Status.ACCEPTED).count()
        )
        for idea in candidates.order_by("-support_count", "pk")[
            : max(0, 2 - promoted - accepted_now)
        ]:
            idea_actions.idea_set_status(
                user=actor, idea=idea, status=Status.ACCEPTED, response=ACCEPTED_RESPONSE
            )
        # Accepted ideas are promoted in one action; their idea status follows the item.
        accepted = Idea.objects.visible().filter(challenge__agency=agency, status=Status.ACCEPTED)
        for n, idea in enumerate(accepted.order_by("pk")):
            if not BacklogIdeaLink.objects.filter(idea=idea).exists():
                item = actions.promote_idea(
                    user=actor,
                    idea=idea,
                    owner=owner,
                    reach=7,
                    impact=7,
                    confidence=6,
                    effort=4,
                    message="Promoted to our innovation backlog; we will post updates here.",
                )
                items.append(_walk(actor, item, PROMOTED_TARGETS[n % len(PROMOTED_TARGETS)]))
        # Ideas an agency already said are "in backlog" get the item that says so.
        for idea in Idea.objects.visible().filter(
            challenge__agency=agency, status=Status.IN_BACKLOG, backlog_links__isnull=True
        ):
            item = actions.item_create(
                user=actor,
                agency=agency,
                title=idea.title,
                problem=idea.body,
                owner=owner,
                reach=6,
                impact=6,
                confidence=7,
                effort=5,
                target_quarter="2027-Q2",
                is_public=True,
                ideas=[idea],
            )
            items.append(_walk(actor, item, S.IN_DELIVERY))
        for status, (title, problem, change, r, i, c, e, quarter, public) in GENERIC.items():
            existing = BacklogItem.objects.filter(agency=agency, title=title).first()
            if existing is not None:
                items.append(existing)
                continue
            item = actions.item_create(
                user=actor,
                agency=agency,
                title=title,
                problem=problem,
                proposed_change=change,
                owner=owner,
                reach=r,
                impact=i,
                confidence=c,
                effort=e,
                target_quarter=quarter,
                is_public=public,
                internal_notes="Seeded for the demo.",
            )
            items.append(_walk(actor, item, status))
    # The Spanish of agencies, challenges, items and updates (all seeded by now).
    demo_translations.seed(context)
    return {"backlog_items": items}
