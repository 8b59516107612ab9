"""Reads shared by the session pages, the live snapshot, the summary and the exports.

Each function runs a fixed number of queries however many notes, groups or people a session
has (guarded by query-count tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from community.permissions import can_design
from community.types import AnyUser
from ideas.codesign import presence
from ideas.codesign.events import (
    group_card,
    note_card,
    outcome_card,
    participant_card,
    prompt_card,
    session_state,
)
from ideas.codesign.models import (
    CodesignSession,
    Dot,
    Note,
    NoteGroup,
    Participant,
    Phase,
    Visibility,
)
from ideas.models import Idea

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _Votes(TypedDict):
        votes: int

    #: A group read with its vote total (``annotate(votes=Count("dots"))``).
    type VotedGroup = WithAnnotations[NoteGroup, _Votes]


def participant_for(
    session_id: int, user: AnyUser | None, guest_key: str = ""
) -> Participant | None:
    """The viewer's participant row in a session (account first, then guest key)."""
    qs = Participant.objects.select_related("persona", "account").filter(session_id=session_id)
    if user is not None and user.is_authenticated:
        found = qs.filter(account=user).first()
        if found is not None:
            return found
    if guest_key:
        return qs.filter(guest_key=guest_key, account__isnull=True).first()
    return None


def sessions_listed(user: AnyUser) -> dict[str, list[CodesignSession]]:
    """Open sessions (upcoming/live and finished) plus every session of agencies the viewer
    designs for. Three queries."""
    now = timezone.now()
    base = CodesignSession.objects.select_related("agency", "challenge").annotate(
        people=Count("participants", filter=Q(participants__removed_at__isnull=True))
    )
    visible = Q(visibility=Visibility.OPEN)
    if user.is_authenticated:
        agency_ids = (
            [
                org_id
                for org_id in user.memberships.values_list("organisation_id", flat=True)
                if can_design(user, org_id)
            ]
            if not user.is_superuser
            else None
        )
        if agency_ids is None:
            visible = Q()
        elif agency_ids:
            visible |= Q(agency_id__in=agency_ids)
    rows: list[CodesignSession] = list(base.filter(visible).order_by("scheduled_at", "pk")[:200])
    upcoming = [s for s in rows if s.phase != Phase.SUMMARY]
    finished = sorted(
        (s for s in rows if s.phase == Phase.SUMMARY), key=lambda s: s.ended_at or now, reverse=True
    )
    return {"upcoming": upcoming, "finished": finished}


def session_detail(pk: int) -> CodesignSession:
    return CodesignSession.objects.select_related("agency", "challenge", "service_page").get(pk=pk)


def _notes(session: CodesignSession) -> QuerySet[Note]:
    return (
        Note.objects.filter(session=session, is_hidden=False)
        .select_related("author__persona")
        .order_by("created_at", "pk")
    )


def _groups(session: CodesignSession) -> list[VotedGroup]:
    return list(NoteGroup.objects.filter(session=session).annotate(votes=Count("dots")))


def current_object(
    session_id: int, kind: str, object_id: int, *, viewer_id: int | None, sees_all: bool
) -> dict[str, Any] | None:
    """One note or group as this viewer's board shows it (what a ``stale`` error carries so
    the client catches up on that object without a whole snapshot); None if it is gone.
    One query."""
    if kind == "note":
        note = (
            Note.objects.filter(pk=object_id, session_id=session_id, is_hidden=False)
            .select_related("author__persona", "session")
            .first()
        )
        if note is None:
            return None
        hide = note.session.notes_hidden and not sees_all and note.author_id != viewer_id
        return {"kind": "note", "note": note_card(note, conceal=hide)}
    group = (
        NoteGroup.objects.filter(pk=object_id, session_id=session_id)
        .annotate(votes=Count("dots"))
        .first()
    )
    return None if group is None else {"kind": "group", "group": group_card(group, group.votes)}


def board_snapshot(
    session: CodesignSession, *, viewer: Participant | None, sees_all: bool
) -> dict[str, Any]:
    """Everything a live board needs. Concealed notes carry no text unless the viewer is a
    facilitator (``sees_all``) or their author. Eight queries."""
    conceal = session.notes_hidden
    notes = []
    for note in _notes(session):
        hide = conceal and not sees_all and not (viewer and note.author_id == viewer.pk)
        notes.append(note_card(note, conceal=hide))
    participants = list(
        Participant.objects.filter(session=session, removed_at__isnull=True).select_related(
            "persona"
        )
    )
    here = presence.present(session.pk, [p.pk for p in participants])
    return {
        "session": session_state(session),
        "goal": session.goal,
        "prompts": [prompt_card(p) for p in session.prompts.all()],
        "seed_ideas": [
            {"id": i.pk, "title": i.title, "url": i.get_absolute_url()}
            for i in session.seed_ideas.all().order_by("pk")
        ],
        "participants": [{**participant_card(p), "here": p.pk in here} for p in participants],
        "groups": [group_card(g, g.votes) for g in _groups(session)],
        "notes": notes,
        "outcomes": [outcome_card(o) for o in session.outcomes.select_related("backlog_item")],
        "you": viewer_state(session, viewer=viewer, sees_all=sees_all),
    }


def viewer_state(
    session: CodesignSession, *, viewer: Participant | None, sees_all: bool
) -> dict[str, Any]:
    """The snapshot's ``you``: who the viewer is here and their votes (one query for a
    participant, none for a watcher). A socket sharing its audience's snapshot gets it as its
    own overlay (``SessionConsumer.snapshot_overlay``)."""
    my_dots: dict[int, int] = {}
    if viewer is not None:
        my_dots = dict(
            Dot.objects.filter(participant=viewer).values_list("group_id").annotate(n=Count("id"))
        )
    return {
        "participant": viewer.pk if viewer else None,
        "name": viewer.name if viewer else "",
        "facilitator": sees_all,
        "votes": {str(k): v for k, v in my_dots.items()},
        "votes_left": session.vote_budget - sum(my_dots.values()),
        "removed": bool(viewer and viewer.removed_at),
    }


def summary(session: CodesignSession) -> dict[str, Any]:
    """The session's record: phases, prompts, groups (with notes and votes), ungrouped notes,
    outcomes, people. Seven queries."""
    notes = list(_notes(session).select_related("prompt", "idea"))
    groups = _groups(session)
    by_group: dict[int | None, list[Note]] = {}
    for note in notes:
        by_group.setdefault(note.group_id, []).append(note)
    return {
        "session": session,
        "phases": list(session.phase_changes.all()),
        "prompts": list(session.prompts.all()),
        "groups": [
            {"group": g, "votes": g.votes, "notes": by_group.get(g.pk, [])}
            for g in sorted(groups, key=lambda g: (-g.votes, g.position, g.pk))
        ],
        "ungrouped": by_group.get(None, []),
        "notes": notes,
        "outcomes": list(
            session.outcomes.select_related("group", "backlog_item").order_by("position", "pk")
        ),
        "participants": list(
            Participant.objects.filter(session=session, removed_at__isnull=True).select_related(
                "persona"
            )
        ),
        "seed_ideas": list(
            Idea.objects.filter(pk__in=session.seed_ideas.values("pk")).order_by("pk")
        ),
    }


def open_data_sessions() -> QuerySet[CodesignSession]:
    """Sessions for the open-data API: open ones only (invited sessions are never published),
    finished or not. Five queries for any number of sessions: the sessions (agency, challenge,
    participant count, whether the challenge is published, newest activity) and one each for
    prompts, groups with vote totals, visible notes (held and hidden ones left out, each
    marked with whether its idea is public) and outcomes (marked with whether their backlog
    item is public).

    The rows carry ``visible_notes``, ``vote_groups`` and ``listed_outcomes``; whether note
    text may be shown (``notes_hidden``: not yet revealed) is the reader's to respect.
    """
    from django.db.models import Exists, IntegerField, Max, OuterRef, Prefetch, Subquery
    from django.db.models.functions import Coalesce, Greatest

    from ideas.backlog.selectors import open_data_items
    from ideas.codesign.models import Outcome, PhaseChange
    from ideas.models import Challenge
    from ideas.selectors import public_ideas

    def newest(model: type[PhaseChange | Note | NoteGroup | Dot | Outcome], field: str) -> Coalesce:
        rows = (
            model.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(at=Max(field))
            .values("at")
        )
        # Coalesce: SQLite's MAX() is NULL when any argument is (PostgreSQL skips NULLs).
        return Coalesce(Subquery(rows), "created_at")

    people = (
        Participant.objects.filter(session=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CodesignSession.objects.filter(visibility=Visibility.OPEN)
        .select_related("agency", "challenge")
        .annotate(
            participant_count=Coalesce(
                Subquery(people, output_field=IntegerField()), 0, output_field=IntegerField()
            ),
            challenge_public=Exists(
                Challenge.objects.published().filter(pk=OuterRef("challenge_id"))
            ),
            changed_at=Greatest(
                "created_at",
                Coalesce("started_at", "created_at"),
                Coalesce("ended_at", "created_at"),
                newest(PhaseChange, "at"),
                newest(Note, "created_at"),
                newest(Note, "edited_at"),
                newest(NoteGroup, "created_at"),
                newest(Dot, "created_at"),
                newest(Outcome, "created_at"),
            ),
        )
        .prefetch_related(
            "prompts",
            Prefetch(
                "groups",
                queryset=NoteGroup.objects.annotate(votes=Count("dots")).order_by("position", "pk"),
                to_attr="vote_groups",
            ),
            Prefetch(
                "notes",
                queryset=Note.objects.filter(is_hidden=False)
                .annotate(idea_public=Exists(public_ideas().filter(pk=OuterRef("idea_id"))))
                .order_by("created_at", "pk"),
                to_attr="visible_notes",
            ),
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.annotate(
                    backlog_public=Exists(open_data_items().filter(pk=OuterRef("backlog_item_id")))
                ).order_by("position", "pk"),
                to_attr="listed_outcomes",
            ),
        )
    )
