"""Participation event kinds recorded by ideas, its sub-apps and cms.

Registered at import (like realtime event types). A new kind — for example when co-design
sessions start recording — is one line here or in the recording app's own module, plus a
``record_event`` call in its service; the dashboard's section for the kind's ``group`` picks
it up with no other change.
"""

from django.utils.translation import gettext_lazy as _

from community.participation.kinds import register_kind

IDEA_POSTED = register_kind("idea.posted", _("Ideas posted"), group="ideas")
IDEA_SUPPORTED = register_kind("idea.supported", _("Supports given"), group="ideas")
COMMENT_POSTED = register_kind("comment.posted", _("Comments posted"), group="ideas")
BACKLOG_STATUS_CHANGED = register_kind(
    "backlog.status_changed", _("Backlog status changes"), group="backlog"
)
SERVICE_PAGE_VIEWED = register_kind(
    "service_page.viewed_from_challenge",
    _("Service pages opened from a challenge"),
    group="services",
)
# Co-design sessions (ideas.codesign) record these; the dashboard shows them once they exist.
SESSION_JOINED = register_kind(
    "codesign.session_joined", _("Co-design sessions joined"), group="codesign"
)
NOTE_ADDED = register_kind("codesign.note_added", _("Co-design notes added"), group="codesign")

#: What counts as "taking part" in the live counters and participation over time.
PARTICIPATION_GROUPS = ("ideas", "codesign", "exchange", "services")
