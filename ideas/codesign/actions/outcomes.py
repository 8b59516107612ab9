"""Outcomes: record what the session decided, and promote one into the backlog."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from community.models import User
from community.text import plain_text
from ideas.backlog import actions as backlog_actions
from ideas.backlog.models import BacklogItem
from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    clean_line,
    lock_session,
    wrong_phase,
)
from ideas.codesign.events import (
    OUTCOME_CREATED,
    OUTCOME_PROMOTED,
    outcome_card,
    publish_session_event,
)
from ideas.codesign.models import (
    GOAL_MAX,
    TITLE_MAX,
    CodesignSession,
    Note,
    NoteGroup,
    Outcome,
    Phase,
)
from ideas.models import Idea


def outcome_create(
    *,
    user: User,
    session: CodesignSession,
    title: str,
    description: str = "",
    group_id: int | None = None,
) -> Outcome:
    """Record what the session decided (decide phase, facilitators), usually from a group."""
    permissions.require_facilitator(user, session)
    title = clean_line(title, "title", TITLE_MAX, _("Say what the outcome is."))
    description = plain_text((description or "").strip())
    if len(description) > GOAL_MAX:
        raise ValidationError(
            {"description": _("Keep the description under %(n)d characters.") % {"n": GOAL_MAX}}
        )
    with transaction.atomic():
        row = lock_session(session.pk)
        if row.phase not in permissions.OUTCOME_PHASES:
            raise wrong_phase(row)
        group = None
        if group_id is not None:
            group = NoteGroup.objects.filter(pk=group_id, session=row).first()
            if group is None:
                raise ValidationError({"group": _("Choose one of this board's groups.")})
            if Outcome.objects.filter(session=row, group=group).exists():
                raise ValidationError({"group": _("That group already has an outcome.")})
        top = row.outcomes.aggregate(top=Max("position"))["top"] or 0
        outcome = Outcome.objects.create(
            session=row,
            group=group,
            title=title,
            description=description,
            position=top + 1,
            created_by=user,
        )
        publish_session_event(row.pk, OUTCOME_CREATED, outcome.pk, outcome_card(outcome))
    return outcome


def outcome_ideas(outcome: Outcome) -> list[Idea]:
    """The ideas an outcome came from: those its group's notes were written about."""
    if outcome.group_id is None:
        return []
    ids = (
        Note.objects.filter(group_id=outcome.group_id, idea__isnull=False, is_hidden=False)
        .values_list("idea_id", flat=True)
        .distinct()
    )
    return list(
        Idea.objects.filter(pk__in=list(ids), merged_into__isnull=True)
        .select_related("challenge")
        .order_by("pk")
    )


def outcome_promote(*, user: User, outcome: Outcome) -> BacklogItem:
    """Turn an outcome into a new, non-public item in the agency's backlog, linked to the
    outcome (and through it the session and its notes) and the ideas it came from.

    Session participants hear about the item through the backlog's close-the-loop machinery
    once it becomes public and changes (see ``ideas.codesign.sources``). Promoting twice is
    refused. Publishes ``outcome.promoted`` (and the backlog's ``backlog.item_created``).
    """
    session = outcome.session
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        locked = (
            Outcome.objects.select_for_update(of=("self",))
            .select_related("session__agency", "group")
            .get(pk=outcome.pk)
        )
        if locked.backlog_item_id is not None:
            raise ValidationError(_("This outcome is already in the backlog."))
        if locked.session.phase not in (Phase.DECIDE, Phase.SUMMARY):
            raise wrong_phase(locked.session)
        notes = []
        if locked.group_id:
            notes = list(
                Note.objects.filter(group_id=locked.group_id, is_hidden=False).values_list(
                    "text", flat=True
                )
            )
        problem = locked.description or _("From the co-design session “%(session)s”.") % {
            "session": locked.session.title
        }
        if notes:
            problem += (
                "\n\n" + _("Notes from the session:") + "\n" + "\n".join(f"- {t}" for t in notes)
            )
        item = backlog_actions.item_create(
            user=user,
            agency=locked.session.agency,
            title=locked.title,
            problem=problem[:5000],
            internal_notes=_("Session: %(url)s") % {"url": locked.session.get_absolute_url()},
            ideas=outcome_ideas(locked),
            sources=[locked],
        )
        locked.backlog_item = item
        locked.save(update_fields=["backlog_item"])
        publish_session_event(locked.session_id, OUTCOME_PROMOTED, locked.pk, outcome_card(locked))
    outcome.backlog_item = item
    return item
