"""Outreach emails: each carries RFC 8058 one-click unsubscribe headers for its category."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from community.outreach.calendar import absolute
from community.outreach.links import unsubscribe_url


def outreach_message(
    *,
    user_id: int,
    to: str,
    category: str,
    subject: str,
    body: str,
    html: str = "",
) -> EmailMultiAlternatives:
    """An email to one person with ``List-Unsubscribe`` (a signed https link that a POST
    unsubscribes, no sign-in) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``."""
    link = unsubscribe_url(user_id, category)
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:200],
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def footer_context(user_id: int, category: str) -> dict[str, str]:
    return {
        "unsubscribe": unsubscribe_url(user_id, category),
        "preferences": absolute(reverse("community:notification_preferences")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
