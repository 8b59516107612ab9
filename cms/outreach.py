"""Campaign pages as outreach campaigns: the message in each language, and the agency.

The text comes from the live page and its live translations (Wagtail locales), so a
Spanish reader gets the Spanish page's headline and standfirst when there is one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.models import CampaignPage, ServicePage
from community.models import Organisation


def campaign_source(page: CampaignPage) -> str:
    return f"cms.campaignpage:{page.translation_key}"


def campaign_agency(page: CampaignPage) -> Organisation | None:
    if not page.service_id:
        return None
    service = ServicePage.objects.filter(pk=page.service_id).select_related("responsible_agency")
    found = service.first()
    return found.responsible_agency if found else None


def campaign_content(page: CampaignPage) -> dict[str, dict[str, Any]]:
    """``{language: {"subject", "text", "url"}}`` from the page and its live translations."""
    content: dict[str, dict[str, Any]] = {}
    pages = CampaignPage.objects.live().filter(translation_key=page.translation_key)
    for each in pages.select_related("locale"):
        text = "\n\n".join(part for part in (each.hero_title, each.hero_text) if part)
        content[each.locale.language_code] = {
            "subject": each.title,
            "text": text,
            "url": each.url or "/",
        }
    if settings.LANGUAGE_CODE not in content:
        raise ValidationError(
            _("Publish the campaign page in the main language before sending it.")
        )
    return content
