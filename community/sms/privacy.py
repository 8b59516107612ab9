"""The phone number and texts are personal data: in the export, gone with the account."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.privacy import register_erasure, register_export
from community.sms.models import PhoneNumber, TextMessage


def export_phone(user) -> list[dict]:
    return [
        {
            "number": p.number,
            "verified_at": p.verified_at.isoformat() if p.verified_at else None,
            "stopped_at": p.stopped_at.isoformat() if p.stopped_at else None,
            "notify_by_text": p.notify_by_text,
        }
        for p in PhoneNumber.objects.filter(user=user)
    ]


def export_texts(user) -> list[dict]:
    return [
        {
            "direction": m.direction,
            "body": m.body,
            "state": m.state,
            "created_at": m.created_at.isoformat(),
        }
        for m in TextMessage.objects.filter(user=user).order_by("created_at", "id")
    ]


def erase(user) -> None:
    numbers = list(PhoneNumber.objects.filter(user=user).values_list("number", flat=True))
    TextMessage.objects.filter(user=user).delete()
    if numbers:
        TextMessage.objects.filter(number__in=numbers).delete()
    PhoneNumber.objects.filter(user=user).delete()


def register() -> None:
    register_export("sms_phone", _("Your mobile number"), export_phone)
    register_export("sms_texts", _("Text messages"), export_texts)
    register_erasure("sms", erase)
