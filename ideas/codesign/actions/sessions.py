"""Sessions: schedule one, move it between phases, lock the board, reveal hidden notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Organisation, User
from community.places.actions import place_assign
from community.places.models import District
from community.text import looks_like_html, plain_text
from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    bump,
    check_version,
    clean_line,
    lock_session,
    wrong_phase,
)
from ideas.codesign.events import (
    publish_reveal,
    publish_session_changed,
)
from ideas.codesign.models import (
    GOAL_MAX,
    PHASES,
    TITLE_MAX,
    CodesignSession,
    Phase,
    PhaseChange,
    Prompt,
    Visibility,
)
from ideas.models import Challenge, Idea


def session_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    goal: str,
    scheduled_at: datetime,
    prompts: Iterable[str] = (),
    challenge: Challenge | None = None,
    service_page: Model | None = None,
    visibility: str = Visibility.OPEN,
    allow_guests: bool = False,
    hide_notes: bool = False,
    vote_budget: int = 5,
    group_cap: int = 3,
    seed_ideas: Iterable[Idea] = (),
    latitude: object = None,
    longitude: object = None,
    district: District | None = None,
) -> CodesignSession:
    """Schedule a session for ``agency`` (its service designers only).

    ``prompts`` are the board's columns (at least one; blank lines ignored). ``seed_ideas``
    must come from ``challenge`` and are shown in the brief. ``latitude``/``longitude``
    (optional) are the venue, kept as given (the agency posts it); its district is found.
    """
    if not permissions.can_create_session(user, agency):
        raise PermissionDenied(_("Only the agency's service designers can run sessions."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned["title"] = clean_line(title, "title", TITLE_MAX, _("Give the session a title."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    goal = (goal or "").strip()
    if not goal:
        errors["goal"] = [_("Say what the session should achieve.")]
    elif len(goal) > GOAL_MAX:
        errors["goal"] = [_("Keep the goal under %(n)d characters.") % {"n": GOAL_MAX}]
    elif looks_like_html(goal):
        errors["goal"] = [_("Use plain text: remove the HTML.")]
    prompt_texts = [" ".join(p.split()) for p in prompts if p and p.strip()]
    if not prompt_texts:
        errors["prompts"] = [_("Add at least one prompt, for example “What gets in the way?”.")]
    elif len(prompt_texts) > 8 or any(len(p) > 120 for p in prompt_texts):
        errors["prompts"] = [_("Use at most 8 prompts of up to 120 characters each.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose who may join.")]
    if not 1 <= int(vote_budget) <= 20:
        errors["vote_budget"] = [_("Give each person between 1 and 20 votes.")]
    if not 1 <= int(group_cap) <= int(vote_budget or 1):
        errors["group_cap"] = [_("The most votes on one group must be between 1 and the budget.")]
    if challenge is not None and challenge.agency_id != agency.pk:
        errors["challenge"] = [_("Choose one of this agency's challenges.")]
    seed_ideas = list(seed_ideas)
    if seed_ideas and (
        challenge is None or any(i.challenge_id != challenge.pk for i in seed_ideas)
    ):
        errors["seed_ideas"] = [_("Ideas in the brief must come from the session's challenge.")]
    venue = CodesignSession()
    try:
        place_assign(venue, latitude=latitude, longitude=longitude, district=district, precise=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = CodesignSession.objects.create(
            latitude=venue.latitude,
            longitude=venue.longitude,
            district=venue.district,
            agency=agency,
            challenge=challenge,
            service_page=service_page,
            goal=plain_text(goal),
            scheduled_at=scheduled_at,
            visibility=visibility,
            allow_guests=bool(allow_guests),
            hide_notes=bool(hide_notes),
            vote_budget=int(vote_budget),
            group_cap=int(group_cap),
            created_by=user,
            **cleaned,
        )
        Prompt.objects.bulk_create(
            Prompt(session=session, text=plain_text(text), position=i)
            for i, text in enumerate(prompt_texts)
        )
        session.seed_ideas.set(seed_ideas)
        PhaseChange.objects.create(session=session, phase=Phase.LOBBY)
    return session


def phase_set(*, user: User, session: CodesignSession, phase: str, version: int) -> CodesignSession:
    """Move the session to ``phase`` (forwards or backwards, one step or several).

    Entering *cluster* or later reveals hidden notes; entering *summary* ends the session
    (stops the timer). Leaving the summary is refused. Publishes ``session.updated`` and, on an
    automatic reveal, ``notes.revealed``.
    """
    permissions.require_facilitator(user, session)
    if phase not in PHASES:
        raise ValidationError({"phase": _("Choose one of the listed phases.")})
    with transaction.atomic():
        locked = lock_session(session.pk)
        check_version(locked.version, version)
        if locked.phase == phase:
            raise ValidationError(_("The session is already in that phase."))
        if locked.phase == Phase.SUMMARY:
            raise ValidationError(_("This session has ended; it cannot be reopened."))
        fields = ["phase"]
        locked.phase = phase
        now = timezone.now()
        if locked.started_at is None and phase != Phase.LOBBY:
            locked.started_at = now
            fields.append("started_at")
        reveal = (
            locked.hide_notes
            and not locked.revealed
            and PHASES.index(phase) >= PHASES.index(Phase.CLUSTER)
        )
        if reveal:
            locked.revealed = True
            fields.append("revealed")
        if phase == Phase.SUMMARY:
            locked.ended_at = now
            locked.timer_ends_at, locked.timer_remaining = None, None
            locked.locked = True
            fields += ["ended_at", "timer_ends_at", "timer_remaining", "locked"]
        bump(locked, fields)
        PhaseChange.objects.create(session=locked, phase=phase, at=now)
        publish_session_changed(locked, "phase")
        if reveal:
            publish_reveal(locked)
    return locked


def phase_step(
    *, user: User, session: CodesignSession, direction: str, version: int
) -> CodesignSession:
    """Advance (``next``) or go back (``back``) one phase."""
    index = PHASES.index(session.phase) + (1 if direction == "next" else -1)
    if not 0 <= index < len(PHASES):
        raise ValidationError(_("There is no phase that way."))
    return phase_set(user=user, session=session, phase=PHASES[index], version=version)


def board_lock(
    *, user: User, session: CodesignSession, locked: bool, version: int
) -> CodesignSession:
    """Lock (participants can only watch) or unlock the board."""
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        row = lock_session(session.pk)
        check_version(row.version, version)
        if row.is_finished:
            raise wrong_phase(row)
        row.locked = bool(locked)
        bump(row, ["locked"])
        publish_session_changed(row, "lock")
    return row


def notes_reveal(*, user: User, session: CodesignSession, version: int) -> CodesignSession:
    """Show every note's text to everyone. Publishes ``session.updated`` and ``notes.revealed``."""
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        row = lock_session(session.pk)
        check_version(row.version, version)
        if not row.hide_notes or row.revealed:
            raise ValidationError(_("Every note is already visible."))
        row.revealed = True
        bump(row, ["revealed"])
        publish_session_changed(row, "reveal")
        publish_reveal(row)
    return row
