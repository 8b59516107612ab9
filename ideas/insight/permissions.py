"""Who may see an agency's insight: any staff member of that agency (moderators, service
designers, editors, agency admins) and superusers. Citizens and other agencies' staff may not.
[``insight.read_insight``, asked with the agency as the object]
"""

from __future__ import annotations

import rules

from community.models import Organisation
from community.permissions import is_staff_of
from community.types import AnyUser


@rules.predicate
def can_view_insight(user: AnyUser, agency: Organisation | int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_staff_of(user, agency)


rules.add_perm("insight.read_insight", can_view_insight)
