"""What moderation holds about a person, for the data download and account deletion.

A person's own reports (reason, details, what was reported) are theirs to download. On
deletion the free-text details go; the report itself stays (against the tombstoned account)
because moderators' decisions and the public figures rest on it.
"""

from __future__ import annotations

from typing import Any

from community.privacy import register_erasure, register_export


def export_reports(user) -> list[dict[str, Any]]:
    from community.moderation.models import Report

    reports = Report.objects.filter(reporter=user).select_related("content_type", "case")
    return [
        {
            "what": f"{r.content_type.app_label}.{r.content_type.model}",
            "reason": r.reason,
            "details": r.text,
            "status": r.case.state,
            "at": r.created_at.isoformat(),
        }
        for r in reports.order_by("created_at", "id")
    ]


def erase(user) -> None:
    from community.moderation.models import Report

    Report.objects.filter(reporter=user).update(text="")


def register() -> None:
    register_export("moderation_reports", "Reports you made to moderators", export_reports)
    register_erasure("moderation", erase)
