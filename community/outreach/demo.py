"""Demo outreach for Northvale: who follows Transport's challenges and asked for campaigns,
who reads the weekly digest, and one campaign sent three days ago with its counts.

Runs after the pages (20) and idea boards (30); reads them from the seed context and from
Wagtail's page tree (``community`` never imports ``cms`` or ``ideas``). Idempotent.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from community.models import Follow, NotificationPreference, Organisation, User
from community.outreach.categories import CAMPAIGNS, DIGEST
from community.outreach.models import Campaign, Delivery

ORDER = 90

#: Follow Transport's first challenge and asked for news and campaigns by email.
CAMPAIGN_READERS = ["citizen@northvale.example", "rosa@northvale.example", "joe@northvale.example"]
#: Follows it too, but never asked for campaigns: no campaign reaches Sam.
FOLLOWS_ONLY = ["sam@northvale.example"]
DIGEST_READERS = ["citizen@northvale.example", "rosa@northvale.example", "li@northvale.example"]


def seed(context: dict) -> dict:
    agency = Organisation.objects.filter(slug="northvale-transport").first()
    challenges = [
        c for c in context.get("challenges") or [] if c.agency_id == getattr(agency, "pk", None)
    ]
    if agency is None or not challenges:
        return {}
    challenge = challenges[0]
    users = {
        u.email: u
        for u in User.objects.filter(email__in=CAMPAIGN_READERS + FOLLOWS_ONLY + DIGEST_READERS)
    }
    ct = ContentType.objects.get_for_model(type(challenge))
    for address in CAMPAIGN_READERS + FOLLOWS_ONLY:
        if address in users:
            Follow.objects.get_or_create(
                user=users[address], content_type=ct, object_id=challenge.pk
            )
    for address in CAMPAIGN_READERS:
        if address in users:
            NotificationPreference.objects.update_or_create(
                user=users[address], category=CAMPAIGNS, defaults={"email": True}
            )
    for address in DIGEST_READERS:
        if address in users:
            NotificationPreference.objects.update_or_create(
                user=users[address], category=DIGEST, defaults={"email": True}
            )
    page = Page.objects.filter(slug="free-bus-travel").first()
    if page is None:
        return {}
    page = page.specific
    source = f"cms.campaignpage:{page.translation_key}"
    if not Campaign.objects.filter(source=source).exists():
        sent = timezone.now() - timedelta(days=3)
        campaign = Campaign.objects.create(
            agency=agency,
            source=source,
            title=page.title,
            content={
                "en": {
                    "subject": page.title,
                    "text": "\n\n".join(
                        part
                        for part in (
                            getattr(page, "hero_title", ""),
                            getattr(page, "hero_text", ""),
                        )
                        if part
                    ),
                    "url": page.url or "/",
                }
            },
            finished_at=sent,
        )
        Campaign.objects.filter(pk=campaign.pk).update(created_at=sent)
        readers = [users[a] for a in CAMPAIGN_READERS if a in users]
        for position, user in enumerate(readers):
            Delivery.objects.create(
                campaign=campaign,
                user=user,
                channel=Delivery.Channel.EMAIL,
                language=user.language or "en",
                state=Delivery.State.SENT,
                sent_at=sent,
                opened_at=sent + timedelta(hours=2) if position < 2 else None,
                clicked_at=sent + timedelta(hours=2) if position < 1 else None,
            )
    return {}
