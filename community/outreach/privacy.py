"""Campaign deliveries and digests/reminders sent are personal data: exported, erased."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.outreach.models import Delivery, DigestSent, ReminderSent
from community.privacy import register_erasure, register_export


def export_deliveries(user) -> list[dict]:
    return [
        {
            "campaign": d.campaign.title,
            "channel": d.channel,
            "state": d.state,
            "language": d.language,
            "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            "opened_at": d.opened_at.isoformat() if d.opened_at else None,
            "clicked_at": d.clicked_at.isoformat() if d.clicked_at else None,
        }
        for d in Delivery.objects.filter(user=user).select_related("campaign").order_by("pk")
    ]


def export_digests_and_reminders(user) -> list[dict]:
    rows = [
        {"kind": "digest", "what": d.week, "sent_at": d.sent_at.isoformat()}
        for d in DigestSent.objects.filter(user=user).order_by("pk")
    ]
    rows += [
        {"kind": "reminder", "what": r.key, "sent_at": r.sent_at.isoformat()}
        for r in ReminderSent.objects.filter(user=user).order_by("pk")
    ]
    return rows


def erase(user) -> None:
    """Deliveries lose their person (the campaign's counts stay true); the rest goes."""
    Delivery.objects.filter(user=user).update(user=None, language="")
    DigestSent.objects.filter(user=user).delete()
    ReminderSent.objects.filter(user=user).delete()


def register() -> None:
    register_export("outreach_campaigns", _("Campaigns sent to you"), export_deliveries)
    register_export(
        "outreach_digests", _("Digests and reminders sent to you"), export_digests_and_reminders
    )
    register_erasure("outreach", erase)
