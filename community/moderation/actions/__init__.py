"""Every moderation write: screening holds, reports, decisions, appeals, account reveals.

Content of any app attaches through :mod:`community.moderation.registry`. Each decision checks
:func:`community.permissions.can_moderate` scoped to the content's agency (platform-wide
content: any moderator), names the case ``version`` it was made on, writes one append-only
audit row, notifies the author and lets the owning app publish its realtime events
(``on_hide``/``on_publish`` hooks run inside the transaction; ``publish`` sends after commit).
Reads (suspensions in force, public notices) are in :mod:`community.moderation.selectors`.
"""

from community.moderation.actions.appeals import (
    APPEALABLE,
    appeal_create,
    appeal_decide,
)
from community.moderation.actions.cases import (
    EXCERPT_MAX,
)
from community.moderation.actions.decisions import (
    case_decide,
    case_reveal_account,
)
from community.moderation.actions.holds import (
    ScreenResult,
    content_screen,
)
from community.moderation.actions.reports import (
    report_create,
)

__all__ = [
    "APPEALABLE",
    "EXCERPT_MAX",
    "ScreenResult",
    "appeal_create",
    "appeal_decide",
    "case_decide",
    "case_reveal_account",
    "content_screen",
    "report_create",
]
