"""Who may do what with backlogs. Roles are asked of :mod:`community.permissions`.

* **See and shape a backlog** (create, edit, move items, promote ideas, export): the agency's
  service designers and agency admins (``can_design``), superusers.
* **See the board** (read only, live): any staff of the agency.
* **Configure webhooks and read the delivery log**: the agency's admins.
* **Public roadmap**: everyone, public items only.
"""

from __future__ import annotations

from community.models import Organisation, Role
from community.permissions import can_design, has_role, is_staff_of


def can_manage_backlog(user, agency: Organisation | int) -> bool:
    return can_design(user, agency)


def can_view_backlog(user, agency: Organisation | int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        is_staff_of(user, agency) or can_design(user, agency)
    )


def can_manage_integrations(user, agency: Organisation | int) -> bool:
    return has_role(user, Role.AGENCY_ADMIN, agency)
