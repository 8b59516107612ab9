"""Every write of outreach: asking for a campaign send, unsubscribing, counting opens/clicks.

Sending itself (campaign deliveries, digests, reminders) runs in the task worker
(:mod:`community.outreach.tasks`); these actions only record and enqueue.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import NotificationPreference, Organisation, User
from community.outreach.categories import UNSUBSCRIBABLE
from community.outreach.links import UnsubscribeRequest, read_unsubscribe
from community.outreach.models import Campaign, Delivery
from community.outreach.permissions import can_send_campaign
from community.types import AnyUser

logger = logging.getLogger(__name__)

#: A second send of the same campaign within this time is refused (a double click, a retry).
RESEND_GUARD = timedelta(hours=1)


def _enqueue_campaign(campaign_id: int) -> None:
    from community.outreach.tasks import send_campaign

    try:
        send_campaign.enqueue(campaign_id=campaign_id)
    except Exception:
        # The campaign row stands; the scheduler's round re-enqueues unfinished campaigns.
        logger.exception("could not enqueue campaign %s", campaign_id)


def campaign_send(
    *,
    user: AnyUser,
    agency: Organisation,
    source: str,
    title: str,
    content: dict[str, dict[str, Any]],
    by_email: bool = True,
    by_text: bool = False,
) -> Campaign:
    """Send ``content`` to ``agency``'s consenting audience, in each person's language.

    ``content`` maps language codes to ``{"subject", "text", "url"}``; the site's default
    language must be there (people whose language is missing get it). The audience is worked
    out by the worker at send time, so anyone who withdrew consent by then gets nothing.
    """
    if not can_send_campaign(user, agency):
        raise PermissionDenied(_("Only the agency's editors may send its campaigns."))
    if not (by_email or by_text):
        raise ValidationError(_("Choose email, text messages or both."))
    default = settings.LANGUAGE_CODE
    main = content.get(default) or {}
    if not main.get("subject") or not main.get("text"):
        raise ValidationError(_("The campaign needs a title and text in the main language."))
    since = timezone.now() - RESEND_GUARD
    with transaction.atomic():
        # Lock the agency row so two sends of the same campaign cannot both pass the check.
        Organisation.objects.select_for_update().filter(pk=agency.pk).first()
        if Campaign.objects.filter(source=source, created_at__gte=since).exists():
            raise ValidationError(
                _("This campaign was sent less than an hour ago. It is not sent again.")
            )
        campaign = Campaign.objects.create(
            agency=agency,
            source=source,
            title=str(main["subject"])[:255],
            content=content,
            by_email=by_email,
            by_text=by_text,
            created_by=user if user.is_authenticated else None,
        )
        campaign_id = campaign.pk
        transaction.on_commit(lambda: _enqueue_campaign(campaign_id))
    return campaign


def unsubscribe(*, token: str) -> UnsubscribeRequest:
    """Turn off the one kind of email the signed ``token`` names. Needs no sign-in.

    A bad or altered token changes nothing (ValidationError). Unsubscribing twice is fine.
    """
    request = read_unsubscribe(token)
    if request is None or request.category not in UNSUBSCRIBABLE:
        raise ValidationError(_("This unsubscribe link is not valid. Nothing was changed."))
    with transaction.atomic():
        if not User.objects.filter(pk=request.user_id).exists():
            raise ValidationError(_("This unsubscribe link is not valid. Nothing was changed."))
        NotificationPreference.objects.update_or_create(
            user_id=request.user_id, category=request.category, defaults={"email": False}
        )
    return request


def delivery_opened(*, token: str) -> bool:
    """Record the first open of a campaign email (the tracking image); later ones change
    nothing."""
    return bool(
        Delivery.objects.filter(token=token, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    )


def delivery_clicked(*, token: str) -> bool:
    """Record the first click (a click is also an open, for images blocked by the reader)."""
    now = timezone.now()
    Delivery.objects.filter(token=token, opened_at__isnull=True).update(opened_at=now)
    return bool(
        Delivery.objects.filter(token=token, clicked_at__isnull=True).update(clicked_at=now)
    )
