"""Who may do what with service feedback.

* ``experience.read_service_dashboard`` (agency): the agency's staff (as insight) — the
  dashboard, its comments and themes, its CSV tables, its live stream.
* ``experience.record_counter_feedback`` (agency): the agency's service counter staff and
  admins (``community.permissions.can_assist``) record an answer for a citizen, or text them
  a follow-up question they agreed to.
* ``experience.promote_theme`` (theme): the agency's service designers and admins turn a
  theme into a challenge (``ideas.permissions.can_run_challenges``).

Giving feedback needs no permission: anyone may, anonymously or signed in.
"""

from __future__ import annotations

import rules

from community.models import Organisation
from community.permissions import can_assist, is_staff_of
from community.types import AnyUser
from ideas.experience.models import Theme
from ideas.permissions import can_run_challenges


@rules.predicate
def can_view_service_dashboard(user: AnyUser, agency: Organisation | int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_staff_of(user, agency)


@rules.predicate
def can_record_counter_feedback(user: AnyUser, agency: Organisation) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and agency.kind == Organisation.Kind.AGENCY
        and can_assist(user, agency)
    )


@rules.predicate
def can_promote_theme(user: AnyUser, theme: Theme) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_run_challenges(
        user, theme.agency_id
    )


rules.add_perm("experience.read_service_dashboard", can_view_service_dashboard)
rules.add_perm("experience.record_counter_feedback", can_record_counter_feedback)
rules.add_perm("experience.promote_theme", can_promote_theme)
