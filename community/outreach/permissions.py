"""Who may send campaigns and see their counts (the one place that decides)."""

from __future__ import annotations

import rules

from community.models import Organisation
from community.permissions import can_edit_pages
from community.types import AnyUser


@rules.predicate
def can_send_campaign(user: AnyUser, agency: Organisation | int | None) -> bool:
    """Send a campaign to ``agency``'s consenting audience: its editors and agency admins."""
    if agency is None:
        return False
    return bool(can_edit_pages(user, agency))


rules.add_perm("outreach.send_campaign", can_send_campaign)
