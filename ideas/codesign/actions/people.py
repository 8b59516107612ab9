"""People: join a session (by persona or as a named guest), and remove someone."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Persona, User
from community.participation.recorder import record_event
from community.permissions import can_act_as, ensure_may_contribute
from ideas.codesign import permissions
from ideas.codesign.actions._checks import clean_line
from ideas.codesign.events import (
    PARTICIPANT_JOINED,
    PARTICIPANT_REMOVED,
    participant_card,
    publish_session_event,
    publish_votes,
)
from ideas.codesign.models import (
    GUEST_NAME_MAX,
    CodesignSession,
    Participant,
)
from ideas.insight import kinds as insight_kinds


def participant_join(
    *,
    user: User | None,
    session: CodesignSession,
    persona: Persona | None = None,
    guest_name: str = "",
    has_code: bool = False,
) -> Participant:
    """Join as one of the account's personas, or (``user`` None) as a named guest.

    Joining twice returns the same participant (the persona may change while the session is in
    the lobby or brief). Removed participants cannot come back. A guest gets a fresh random
    ``guest_key`` the caller keeps in the browser's signed session (see ``guests.py``).
    Publishes ``participant.joined``.
    """
    if session.is_finished:
        raise ValidationError(_("This session has ended; read its summary instead."))
    if user is not None and getattr(user, "is_authenticated", False):
        if not permissions.can_join(user, session, has_code=has_code):
            raise PermissionDenied(_("This session is by invitation: use the link you were sent."))
        ensure_may_contribute(user)
        if persona is None or not can_act_as(user, persona):
            raise ValidationError({"persona": _("Choose one of your own personas.")})
        with transaction.atomic():
            existing = (
                Participant.objects.select_for_update()
                .filter(session=session, account=user)
                .first()
            )
            if existing is not None:
                if existing.removed_at is not None:
                    raise PermissionDenied(_("A facilitator removed you from this session."))
                if existing.persona_id != persona.pk:
                    existing.persona = persona
                    existing.save(update_fields=["persona"])
                    publish_session_event(
                        session.pk, PARTICIPANT_JOINED, existing.pk, participant_card(existing)
                    )
                return existing
            try:
                with transaction.atomic():
                    participant = Participant.objects.create(
                        session=session, account=user, persona=persona
                    )
            except IntegrityError:  # the same account joining from two tabs at once
                return Participant.objects.get(session=session, account=user)
            _record_joined(session, participant, user)
            publish_session_event(
                session.pk, PARTICIPANT_JOINED, participant.pk, participant_card(participant)
            )
            return participant
    if not permissions.can_join_as_guest(session, has_code=has_code):
        raise PermissionDenied(_("This session does not take guests. Sign in to join."))
    name = clean_line(
        guest_name, "guest_name", GUEST_NAME_MAX, _("Tell us the name to show on your notes.")
    )
    with transaction.atomic():
        participant = Participant.objects.create(
            session=session, guest_name=name, guest_key=secrets.token_urlsafe(24)
        )
        _record_joined(session, participant, None)
        publish_session_event(
            session.pk, PARTICIPANT_JOINED, participant.pk, participant_card(participant)
        )
    return participant


def _record_joined(session: CodesignSession, participant: Participant, user: User | None) -> None:
    record_event(
        kind=insight_kinds.SESSION_JOINED,
        user=user,
        agency=session.agency_id,
        challenge_id=session.challenge_id,
        object_id=session.pk,
    )


def participant_remove(*, user: User, session: CodesignSession, participant_id: int) -> Participant:
    """Remove someone (facilitators only; not another facilitator). Their notes stay;
    their votes are withdrawn. Publishes ``participant.removed`` and the new vote totals."""
    permissions.require_facilitator(user, session)
    with transaction.atomic():
        target = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("account", "persona", "session")
            .get(pk=participant_id, session=session)
        )
        if target.removed_at is not None:
            raise ValidationError(_("That person has already been removed."))
        if permissions.participant_facilitates(target):
            raise PermissionDenied(_("Facilitators cannot remove each other."))
        target.removed_at = timezone.now()
        target.save(update_fields=["removed_at"])
        touched = list(target.dots.values_list("group_id", flat=True).distinct())
        target.dots.all().delete()
        publish_session_event(
            session.pk, PARTICIPANT_REMOVED, target.pk, {"id": target.pk, "name": target.name}
        )
        publish_votes(session.pk, touched)
    return target
