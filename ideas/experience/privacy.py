"""Service feedback in a person's data export, and erased with their account.

Exported: every answer given with the account attached (on the web while signed in, a digit
answering a follow-up text, or recorded at a counter with their email) and every follow-up
text sent to them. On deletion the answers stay as anonymous figures (the numbers are
statistics) but lose the account, the free text and the respondent key; follow-ups go.
"""

from __future__ import annotations

from typing import Any

from django.utils.crypto import get_random_string

from ideas.experience.models import Feedback, FollowUp


def export(user) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    rows = []
    for feedback in (
        Feedback.objects.filter(account=user).prefetch_related("answers").order_by("created_at")
    ):
        rows.append(
            {
                "service_page_id": feedback.service_page_id,
                "channel": feedback.channel,
                "got_what_needed": feedback.got_what_needed,
                "satisfaction": feedback.satisfaction,
                "brand_values": {a.statement: a.kept for a in feedback.answers.all()},
                "comment": feedback.comment,
                "created_at": feedback.created_at.isoformat(),
            }
        )
    for follow_up in FollowUp.objects.filter(account=user).order_by("sent_at"):
        rows.append(
            {
                "follow_up_text_about_service_page_id": follow_up.service_page_id,
                "sent_at": follow_up.sent_at.isoformat(),
                "answered": follow_up.feedback_id is not None,
            }
        )
    return rows


def erase(user) -> None:  # type: ignore[no-untyped-def]
    FollowUp.objects.filter(account=user).delete()
    for pk in Feedback.objects.filter(account=user).values_list("pk", flat=True):
        Feedback.objects.filter(pk=pk).update(
            account=None, comment="", theme=None, respondent=f"erased:{get_random_string(24)}"
        )
