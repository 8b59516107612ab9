"""Who may do what in co-design sessions. Roles are asked of :mod:`community.permissions`.

* **Create and facilitate** (phases, lock, reveal, timer, remove people, outcomes, edit any
  note): the session agency's service designers (and its admins, superusers). Several
  designers may co-facilitate; a facilitator leaving does not end anything.
* **Watch** an open session: anyone. An invited session: its participants, the agency's staff,
  and whoever holds the join link or code.
* **Take part** (notes, grouping, votes): joined participants who were not removed; named
  guests only when the session allows them.
* **Read the summary** once it has ended: anyone for open sessions; participants and agency
  staff for invited ones.
"""

from __future__ import annotations

from community.permissions import can_design, is_staff_of
from ideas.codesign.models import CodesignSession, Participant, Visibility


def can_create_session(user, agency) -> bool:
    return can_design(user, agency)


def can_facilitate(user, session: CodesignSession) -> bool:
    return can_design(user, session.agency_id)


def participant_facilitates(participant: Participant) -> bool:
    return participant.account_id is not None and can_facilitate(
        participant.account, participant.session
    )


def can_watch(
    user, session: CodesignSession, *, participant: Participant | None, has_code: bool
) -> bool:
    if session.visibility == Visibility.OPEN or has_code:
        return True
    if participant is not None and participant.removed_at is None:
        return True
    return is_staff_of(user, session.agency_id) or can_design(user, session.agency_id)


def can_join(user, session: CodesignSession, *, has_code: bool) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return session.visibility == Visibility.OPEN or has_code or can_facilitate(user, session)


def can_join_as_guest(session: CodesignSession, *, has_code: bool) -> bool:
    return session.allow_guests and (session.visibility == Visibility.OPEN or has_code)


def can_read_summary(user, session: CodesignSession, *, participant: Participant | None) -> bool:
    if session.visibility == Visibility.OPEN:
        return True
    if participant is not None:
        return True
    return is_staff_of(user, session.agency_id) or can_design(user, session.agency_id)


def reveal_offered(user, session: CodesignSession, *, note_count: int) -> bool:
    """Whether to offer "Reveal all notes": a facilitator, while notes are concealed and
    there is at least one to reveal (the service itself refuses only a needless reveal)."""
    return note_count > 0 and session.notes_hidden and can_facilitate(user, session)
