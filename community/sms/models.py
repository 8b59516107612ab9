"""Phone numbers (personal data, stored in E.164 form) and every text sent or received."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PhoneNumber(models.Model):
    """An account's mobile number. Never shown to anyone else; the owner sees it masked.

    ``verified_at`` is set once the owner typed the code we texted. ``stopped_at`` is set when
    they text STOP: from then on nothing is sent to the number until they text START.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_number"
    )
    number = models.CharField(_("mobile number"), max_length=16, unique=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True)
    notify_by_text = models.BooleanField(
        _("text me when my ideas change"),
        default=False,
        help_text=_("Decisions on ideas you posted or follow come to your phone."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return f"{self.masked} ({self.user_id})"

    @property
    def masked(self) -> str:
        """Only the last three digits: enough for the owner to recognise it."""
        return "•" * max(len(self.number) - 3, 0) + self.number[-3:]

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def can_receive(self) -> bool:
        return self.is_verified and self.stopped_at is None


class BlockedNumber(models.Model):
    """A number staff blocked (abuse, spam). Texts from it post nothing."""

    number = models.CharField(_("number"), max_length=16, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")

    def __str__(self) -> str:
        return self.number


class TextMessage(models.Model):
    """One text in or out. Inbound rows make provider callbacks idempotent (``provider_id``
    is unique); outbound rows make delivery idempotent (``key`` is unique, ``sent_at`` is set
    once)."""

    class Direction(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Waiting to send")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not send")

    direction = models.CharField(max_length=3, choices=Direction.choices)
    number = models.CharField(max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="text_messages",
    )
    body = models.TextField()
    provider_id = models.CharField(max_length=64, blank=True)
    key = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "provider_id"],
                condition=~Q(provider_id=""),
                name="sms_provider_message_once",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="sms_outbound_key_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.state} {self.created_at:%Y-%m-%d %H:%M}"
