"""Reads for outreach pages: who is in an audience now, and a campaign's counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from community.actions.notifications import wants_email
from community.models import Organisation, User
from community.outreach import registry
from community.outreach.categories import CAMPAIGNS
from community.outreach.models import Campaign, Delivery


def _candidates(agency: Organisation) -> set[int]:
    ids: set[int] = set()
    for source in registry.audience_sources():
        ids.update(int(pk) for pk in source(agency))
    return ids


def email_audience(agency: Organisation) -> list[int]:
    """Accounts that asked to hear from ``agency`` and want campaign email, right now."""
    ids = set(
        User.objects.filter(pk__in=_candidates(agency), is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return sorted(wants_email(ids, CAMPAIGNS))


def text_audience(agency: Organisation) -> list[int]:
    """Of those, accounts with a confirmed mobile number that takes texts (no STOP) and
    that asked for texts, and that want campaigns."""
    from community.sms.models import PhoneNumber

    ids = set(
        PhoneNumber.objects.filter(
            user_id__in=_candidates(agency),
            user__is_active=True,
            verified_at__isnull=False,
            stopped_at__isnull=True,
            notify_by_text=True,
        ).values_list("user_id", flat=True)
    )
    return sorted(wants_email(ids, CAMPAIGNS))


@dataclass(frozen=True)
class CampaignCounts:
    campaign: Campaign
    delivered: int
    opened: int
    clicked: int
    skipped: int
    waiting: int


def campaign_counts(campaigns: Iterable[Campaign]) -> list[CampaignCounts]:
    """Delivered / opened / clicked per campaign, in one query however many there are."""
    campaigns = list(campaigns)
    rows: dict[int, dict[str, int]] = {}
    for campaign_id, delivered, opened, clicked, skipped, waiting in (
        Delivery.objects.filter(campaign__in=campaigns)
        .values("campaign_id")
        .annotate(
            delivered=Count("id", filter=Q(state=Delivery.State.SENT)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            skipped=Count("id", filter=Q(state=Delivery.State.SKIPPED)),
            waiting=Count("id", filter=Q(state=Delivery.State.QUEUED)),
        )
        .values_list("campaign_id", "delivered", "opened", "clicked", "skipped", "waiting")
    ):
        rows[campaign_id] = {
            "delivered": delivered,
            "opened": opened,
            "clicked": clicked,
            "skipped": skipped,
            "waiting": waiting,
        }
    result = []
    for campaign in campaigns:
        row = rows.get(campaign.pk, {})
        result.append(
            CampaignCounts(
                campaign,
                row.get("delivered", 0),
                row.get("opened", 0),
                row.get("clicked", 0),
                row.get("skipped", 0),
                row.get("waiting", 0),
            )
        )
    return result


def campaigns_for(source: str) -> list[Campaign]:
    return list(Campaign.objects.filter(source=source).select_related("agency"))
