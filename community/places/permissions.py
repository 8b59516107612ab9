"""Who may do what with places. Roles are asked of :mod:`community.permissions`.

``places.manage_district`` (an organisation, or a district: its organisation): define and
change an agency's districts. The agency's staff and admins (and superusers) may; only
agencies define districts.
"""

from __future__ import annotations

from typing import Any

import rules

from community.models import Organisation
from community.permissions import is_staff_of
from community.types import AnyUser


@rules.predicate
def can_manage_district(user: AnyUser, obj: Any) -> bool:
    organisation = obj if isinstance(obj, Organisation) else getattr(obj, "organisation", None)
    if not isinstance(organisation, Organisation):
        return False
    return organisation.kind == Organisation.Kind.AGENCY and bool(is_staff_of(user, organisation))


rules.add_perm("places.manage_district", can_manage_district)
