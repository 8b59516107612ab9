"""Participation events and the coarse segments a citizen chooses to share.

A :class:`ParticipationEvent` is one meaningful action (an idea posted, a support, an exchange
completed, …). It refers to the place it happened by plain ids (``challenge_id``,
``service_page_id``, ``object_id``) rather than foreign keys, because community never depends
on ideas or cms; each kind is registered (:mod:`.kinds`) by the app that records it, which
says what its ids mean. Rows never hold an account id: ``participant`` is a keyed hash of the
account (so distinct people can be counted), blanked when the account is deleted. Segment
columns are filled only when the citizen consented to insight statistics *and* chose to share
the attribute (:class:`SegmentProfile`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_24", _("18 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_49", _("35 to 49")
    FROM_50 = "50_64", _("50 to 64")
    FROM_65 = "65_plus", _("65 or over")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    SMS = "sms", _("Text message")
    ASSISTED = "assisted", _("Assisted (staff or volunteer on a citizen's behalf)")


def area_choices() -> list[tuple[str, str]]:
    """Areas a citizen may say they live in (``settings.PARTICIPATION["AREAS"]``)."""
    return [(str(k), str(v)) for k, v in settings.PARTICIPATION["AREAS"]]


def area_label(slug: str) -> str:
    return dict(area_choices()).get(slug, slug)


class SegmentProfile(models.Model):
    """What a citizen chose to share for insight statistics. Every field is optional.

    Used only while the citizen consents to insight statistics; erased with the account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="segment_profile"
    )
    age_band = models.CharField(_("age group"), max_length=10, choices=AgeBand.choices, blank=True)
    area = models.CharField(_("area you live in"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shared segment")
        verbose_name_plural = _("shared segments")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.age_band or '-'} / {self.area or '-'}"


class ParticipationEvent(models.Model):
    """One meaningful action, for agencies' management information. Append-only."""

    kind = models.CharField(max_length=40)
    occurred_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    agency = models.ForeignKey(
        "community.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency whose dashboard counts it (None: platform-wide, e.g. the exchange).",
    )
    challenge_id = models.PositiveBigIntegerField(null=True, blank=True)
    service_page_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The thing acted on; its model depends on the kind."
    )
    participant = models.CharField(
        max_length=32, blank=True, help_text="Keyed hash of the account; never the account id."
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    area = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "occurred_at"], name="participation_agency_time"),
            models.Index(fields=["kind", "occurred_at"], name="participation_kind_time"),
            models.Index(fields=["challenge_id", "kind"], name="participation_challenge"),
            models.Index(fields=["participant"], name="participation_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"
