"""Who may do what in co-design sessions: every decision is a named predicate here.

Roles are asked of :mod:`community.permissions`.

* **Create and facilitate** (phases, lock, reveal, timer, remove people, outcomes, edit any
  note): the session agency's service designers (and its admins, superusers). Several
  designers may co-facilitate; a facilitator leaving does not end anything.
* **Watch** an open session: anyone. An invited session: its participants, the agency's staff,
  and whoever holds the join link or code.
* **Take part** (notes, grouping, votes): joined participants who were not removed; named
  guests only when the session allows them.
* **Read the summary** once it has ended: anyone for open sessions; participants and agency
  staff for invited ones.

**Two kinds of actor.** Decisions about an *account* (create, facilitate, reveal) are ``rules``
permissions, ``rules.add_perm("codesign.<verb>_<noun>", predicate)``, asked with
``user.has_perm(...)`` or ``{% has_perm %}``. Decisions about a *participant* (change a note,
group notes, vote) are asked of the participant, because guests take part without an account:
they are ``rules`` rules in the default rule set, ``rules.add_rule("codesign.<verb>_<noun>",
predicate)``, asked with ``rules.test_rule(name, participant, obj)`` or, in templates,
``{% test_rule name participant obj as x %}``. The participant passed is the viewer's row (or
None, for people who have not joined); ``obj`` may be a model or the card the board snapshot
carries (a dict). The actions ask the same component predicates, each for its own error
(``wrong_phase`` for a phase, ``PermissionDenied`` for a role), so no rule is spelled twice.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from community.models import Organisation
from community.permissions import can_design, ensure_may_contribute, is_staff_of
from community.types import AnyUser
from ideas.codesign.models import CodesignSession, Participant, Phase, Visibility

# Which phases allow which participant actions.
NOTE_ADD_PHASES = frozenset({Phase.DIVERGE})
NOTE_EDIT_PHASES = frozenset({Phase.DIVERGE, Phase.CLUSTER})
GROUPING_PHASES = frozenset({Phase.CLUSTER})
VOTE_PHASES = frozenset({Phase.VOTE})
OUTCOME_PHASES = frozenset({Phase.DECIDE})
TIMER_PHASES = frozenset({Phase.BRIEF, Phase.DIVERGE, Phase.CLUSTER, Phase.VOTE, Phase.DECIDE})


# -- accounts ---------------------------------------------------------------------------------


@rules.predicate
def can_create_session(user: AnyUser, agency: Organisation | int | None) -> bool:
    return can_design(user, agency)


@rules.predicate
def can_facilitate(user: AnyUser, session: CodesignSession) -> bool:
    return can_design(user, session.agency_id)


@rules.predicate
def notes_concealed(user: AnyUser, session: CodesignSession) -> bool:
    return session.notes_hidden


@rules.predicate
def in_decide_phase(user: AnyUser, session: CodesignSession) -> bool:
    return session.phase in OUTCOME_PHASES


may_reveal_notes = can_facilitate & notes_concealed
may_record_outcome = can_facilitate & in_decide_phase


def can_watch(
    user: AnyUser, session: CodesignSession, *, participant: Participant | None, has_code: bool
) -> bool:
    if session.visibility == Visibility.OPEN or has_code:
        return True
    if participant is not None and participant.removed_at is None:
        return True
    return is_staff_of(user, session.agency_id) or can_design(user, session.agency_id)


def can_join(user: AnyUser, session: CodesignSession, *, has_code: bool) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return session.visibility == Visibility.OPEN or has_code or can_facilitate(user, session)


def can_join_as_guest(session: CodesignSession, *, has_code: bool) -> bool:
    return session.allow_guests and (session.visibility == Visibility.OPEN or has_code)


def can_read_summary(
    user: AnyUser, session: CodesignSession, *, participant: Participant | None
) -> bool:
    if session.visibility == Visibility.OPEN:
        return True
    if participant is not None:
        return True
    return is_staff_of(user, session.agency_id) or can_design(user, session.agency_id)


def reveal_offered(user: AnyUser, session: CodesignSession, *, note_count: int) -> bool:
    """Whether to offer "Reveal all notes": a facilitator, while notes are concealed and
    there is at least one to reveal (the action itself refuses only a needless reveal)."""
    return note_count > 0 and may_reveal_notes(user, session)


def removable_participant_ids(
    user: AnyUser,
    session: CodesignSession,
    people: list[dict[str, Any]],
    *,
    actor: Participant | None,
) -> set[int]:
    """Whom the board offers a "Remove" button for: a facilitator of a running session may
    remove anyone but themselves (the action also refuses another facilitator)."""
    if session.is_finished or not can_facilitate(user, session):
        return set()
    own = actor.pk if actor is not None else None
    return {p["id"] for p in people if p["id"] != own}


def require_facilitator(user: AnyUser | None, session: CodesignSession) -> None:
    """Raise ``PermissionDenied`` unless ``user`` facilitates ``session``."""
    if user is None or not can_facilitate(user, session):
        raise PermissionDenied(_("Only the session's facilitators can do that."))


rules.add_perm("codesign.create_session", can_create_session)
rules.add_perm("codesign.facilitate_session", can_facilitate)
rules.add_perm("codesign.reveal_notes", may_reveal_notes)
rules.add_perm("codesign.record_outcome", may_record_outcome)


# -- participants -----------------------------------------------------------------------------


def _author_id(note: Any) -> int | None:
    """The note's author (participant id), from a ``Note`` or a snapshot card."""
    if isinstance(note, dict):
        return note["author"]["id"]
    return note.author_id


@rules.predicate
def is_participant(participant: Participant | None) -> bool:
    """Joined and not removed (whether they are suspended is asked when they act)."""
    return participant is not None and participant.removed_at is None


@rules.predicate
def participant_facilitates(participant: Participant) -> bool:
    return participant.account_id is not None and can_facilitate(
        participant.account, participant.session
    )


@rules.predicate
def is_note_author(participant: Participant, note: Any) -> bool:
    return _author_id(note) == participant.pk


@rules.predicate
def in_note_add_phase(participant: Participant) -> bool:
    return participant.session.phase in NOTE_ADD_PHASES


@rules.predicate
def in_note_edit_phase(participant: Participant) -> bool:
    return participant.session.phase in NOTE_EDIT_PHASES


@rules.predicate
def in_grouping_phase(participant: Participant) -> bool:
    return participant.session.phase in GROUPING_PHASES


@rules.predicate
def in_diverge_phase(participant: Participant) -> bool:
    return participant.session.phase == Phase.DIVERGE


@rules.predicate
def in_vote_phase(participant: Participant) -> bool:
    return participant.session.phase in VOTE_PHASES


may_change_own_or_any_note = is_note_author | participant_facilitates
"""Whose notes a participant may edit, delete (and, while adding notes, move)."""

may_add_note = is_participant & in_note_add_phase
may_change_note = is_participant & in_note_edit_phase & may_change_own_or_any_note
may_move_note = is_participant & (
    in_grouping_phase | (in_diverge_phase & may_change_own_or_any_note)
)
may_group_notes = is_participant & in_grouping_phase
may_delete_group = is_participant & in_grouping_phase & participant_facilitates
may_vote = is_participant & in_vote_phase

rules.add_rule("codesign.add_note", may_add_note)
rules.add_rule("codesign.change_note", may_change_note)
rules.add_rule("codesign.delete_note", may_change_note)
rules.add_rule("codesign.move_note", may_move_note)
rules.add_rule("codesign.group_notes", may_group_notes)
rules.add_rule("codesign.delete_group", may_delete_group)
rules.add_rule("codesign.vote", may_vote)


# -- deciders the actions raise from ----------------------------------------------------------


def ensure_participant_may_act(participant: Participant, *, suspended: bool) -> Participant:
    """``participant`` if they may still act in the session; raises ``PermissionDenied`` for
    removed people and suspended accounts. ``suspended``: whether the participant's account is
    suspended, read with the row (moderation's ``account_suspended`` annotation)."""
    if participant.removed_at is not None:
        raise PermissionDenied(_("A facilitator removed you from this session."))
    if participant.account_id is not None and suspended:
        account = participant.account
        assert account is not None, "account_id is set"
        ensure_may_contribute(account)  # raises, saying until when
    return participant


def ensure_board_open(session: CodesignSession, participant: Participant) -> None:
    """Refuse (``locked``) participants' changes while a facilitator has locked the board."""
    if session.locked and not participant_facilitates(participant):
        raise ValidationError(
            _("The facilitator has locked the board. Wait until they unlock it."), code="locked"
        )


def ensure_may_change_note(actor: Participant, note: Any, refusal: str) -> None:
    """``PermissionDenied(refusal)`` unless ``actor`` wrote ``note`` or facilitates."""
    if not may_change_own_or_any_note(actor, note):
        raise PermissionDenied(refusal)
