"""Campaigns and who got them; digests and reminders sent (once each, by constraint).

Tracking holds no more than the counts need: when a delivery was first opened and first
clicked. No addresses, user agents or repeat opens are stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from community.models import Organisation


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Campaign(models.Model):
    """One send of a campaign to an agency's consenting audience.

    ``content`` holds the message per language, copied when the send was asked for, so what
    people receive does not change if the page is edited while the worker runs:
    ``{"en": {"subject": …, "text": …, "url": "/free-bus-travel/"}, "es": {…}}``.
    """

    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("agency")
    )
    source = models.CharField(max_length=100, help_text="What was sent, e.g. cms.campaignpage:7")
    title = models.CharField(_("title"), max_length=255)
    content = models.JSONField(default=dict)
    by_email = models.BooleanField(_("by email"), default=True)
    by_text = models.BooleanField(_("by text message"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign send")
        verbose_name_plural = _("campaign sends")
        indexes = [models.Index(fields=["source", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d})"


class Delivery(models.Model):
    """One person's copy of a campaign on one channel: at most one, ever (constraint).

    ``user`` is cleared when the account is deleted; the row stays so the counts stay true.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        TEXT = "text", _("Text message")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to send")
        SENT = "sent", _("Delivered")
        SKIPPED = "skipped", _("Not sent: consent withdrawn")
        FAILED = "failed", _("Could not send")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_deliveries",
    )
    channel = models.CharField(max_length=5, choices=Channel.choices)
    language = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("campaign delivery")
        verbose_name_plural = _("campaign deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "channel"], name="outreach_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.user_id} ({self.channel}, {self.state})"


class DigestSent(models.Model):
    """A person's weekly digest for one ISO week went out (or had nothing in it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    week = models.CharField(max_length=8, help_text="ISO year and week, e.g. 2026-W49")
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="outreach_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"


class ReminderSent(models.Model):
    """A reminder (``key``: what and when, e.g. ``codesign.session:12:starts``) reached a person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="outreach_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
