"""Who may see an agency's insight: any staff member of that agency (moderators, service
designers, editors, agency admins) and superusers. Citizens and other agencies' staff may not.
"""

from __future__ import annotations

from community.models import Organisation
from community.permissions import is_staff_of


def can_view_insight(user, agency: Organisation | int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_staff_of(user, agency)
