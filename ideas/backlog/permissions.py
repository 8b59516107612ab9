"""Who may do what with backlogs. Roles are asked of :mod:`community.permissions`.

* **See and shape a backlog** (create, edit, move items, promote ideas, export): the agency's
  service designers and agency admins (``can_design``), superusers. [``backlog.manage_backlog``]
* **See the board** (read only, live): any staff of the agency. [``backlog.read_backlog``]
* **Configure webhooks and read the delivery log**: the agency's admins.
  [``backlog.manage_integrations``]
* **Public roadmap**: everyone, public items only (a selector's filter, not a permission).

Each permission is asked with the agency (an organisation or its id) as the object.
"""

from __future__ import annotations

import rules

from community.models import Organisation, Role
from community.permissions import can_design, has_role, is_staff_of
from community.types import AnyUser


@rules.predicate
def can_manage_backlog(user: AnyUser, agency: Organisation | int) -> bool:
    return can_design(user, agency)


@rules.predicate
def can_view_backlog(user: AnyUser, agency: Organisation | int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        is_staff_of(user, agency) or can_design(user, agency)
    )


@rules.predicate
def can_manage_integrations(user: AnyUser, agency: Organisation | int) -> bool:
    return has_role(user, Role.AGENCY_ADMIN, agency)


rules.add_perm("backlog.manage_backlog", can_manage_backlog)
rules.add_perm("backlog.read_backlog", can_view_backlog)
rules.add_perm("backlog.manage_integrations", can_manage_integrations)
