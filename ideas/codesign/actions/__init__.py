"""Every write on co-design sessions, one module per concern. Views (through
:mod:`ideas.codesign.dispatch`), the session consumer (the same dispatcher), the admin, the
demo and the benchmarks call these: there is one way to add a note.

**Shape: check, then do.** Each action is one keyword-only function in two halves, in this
order, so a refusal never leaves a write behind:

1. *check* — clean the input without the database (``ValidationError``, nothing written); then,
   inside ``transaction.atomic``, lock the rows the decision depends on (``select_for_update``,
   or ``FOR SHARE`` for note adds), compare versions, and ask :mod:`ideas.codesign.permissions`
   (role problems are ``PermissionDenied``; phase, lock, budget problems ``ValidationError``
   with a code).
2. *do* — write, record insight, and publish through :mod:`ideas.codesign.events` (delivered
   only once the transaction commits).

Check and do share one function and one transaction (Zulip's ``check_*``/``do_*`` pair in one
body) because the locks the check takes must still be held when the do writes. Shared checks
live in :mod:`ideas.codesign.actions._checks`; permission deciders in ``permissions``; event
building in ``events``.

**Versions.** Session-level changes (phase, lock, reveal, timer) name the session ``version``
they were made on; note and group changes name that note's or group's ``version``. A stale
version raises ``ValidationError(code="stale")`` and changes nothing: the client is behind and
needs a snapshot. Error codes callers pass on: ``stale``, ``wrong_phase``, ``locked``,
``over_budget``, ``not_joined`` (all ``ValidationError`` codes).
"""

from ideas.codesign.actions.groups import group_create, group_delete, group_rename
from ideas.codesign.actions.notes import (
    Placement,
    note_add,
    note_delete,
    note_edit,
    note_move,
    notes_place,
)
from ideas.codesign.actions.outcomes import outcome_create, outcome_ideas, outcome_promote
from ideas.codesign.actions.people import participant_join, participant_remove
from ideas.codesign.actions.sessions import (
    board_lock,
    notes_reveal,
    phase_set,
    phase_step,
    session_create,
)
from ideas.codesign.actions.timer import timer_extend, timer_pause, timer_start
from ideas.codesign.actions.votes import dot_cast, dot_withdraw

ERROR_CODES = frozenset({"stale", "wrong_phase", "locked", "over_budget", "not_joined"})

__all__ = [
    "ERROR_CODES",
    "Placement",
    "board_lock",
    "dot_cast",
    "dot_withdraw",
    "group_create",
    "group_delete",
    "group_rename",
    "note_add",
    "note_delete",
    "note_edit",
    "note_move",
    "notes_place",
    "notes_reveal",
    "outcome_create",
    "outcome_ideas",
    "outcome_promote",
    "participant_join",
    "participant_remove",
    "phase_set",
    "phase_step",
    "session_create",
    "timer_extend",
    "timer_pause",
    "timer_start",
]
