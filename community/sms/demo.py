"""Demo: Rosa has a confirmed mobile number and gets decisions on her ideas by text.

Try it with the console gateway (``SMS_WEBHOOK_SECRET`` set): see ``docs/development.md``.
"""

from __future__ import annotations

from django.utils import timezone

from community.models import User
from community.sms.models import PhoneNumber

ORDER = 12
ROSA = "rosa@northvale.example"
ROSA_NUMBER = "+447700900555"  # Ofcom's range for drama: never a real person's number


def seed(context: dict) -> dict:
    rosa = User.objects.filter(email=ROSA).first()
    if (
        rosa is not None
        and not PhoneNumber.objects.filter(user=rosa).exists()
        and not PhoneNumber.objects.filter(number=ROSA_NUMBER).exists()
    ):
        PhoneNumber.objects.create(
            user=rosa, number=ROSA_NUMBER, verified_at=timezone.now(), notify_by_text=True
        )
    return {}
