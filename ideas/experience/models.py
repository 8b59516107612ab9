"""Service experience feedback: one answer per person (or visitor) per service per day.

A service is a Wagtail page (``wagtailcore.Page``, always the default-language page of the
service, see :mod:`ideas.experience.catalogue`); brand values are kept by id with the
statement as it was asked, since ``ideas`` does not import ``cms``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Organisation

COMMENT_LIMIT = 1000


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    SMS = "sms", _("Text message")
    COUNTER = "counter", _("Service counter")


class Theme(models.Model):
    """Comments about one service that say similar things (grouped as they arrive)."""

    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    service_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("label"), max_length=160)
    challenge = models.ForeignKey(
        "ideas.Challenge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_themes",
        verbose_name=_("challenge started from it"),
    )
    promoted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback theme")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("experience:theme", args=[self.pk])


class Feedback(models.Model):
    """One answer about a service: did they get what they needed, how satisfied, each of the
    service's brand values kept or not, and optional free text (never public; screened and
    moderated, staff of the agency read it)."""

    service_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    got_what_needed = models.BooleanField(_("got what they needed"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_LIMIT)
    language = models.CharField(max_length=12, blank=True)
    #: A keyed hash: the account, the anonymous visitor, or one counter conversation.
    respondent = models.CharField(max_length=64)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_feedback",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )

    class Meta:
        verbose_name = _("service feedback")
        verbose_name_plural = _("service feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "service_page", "day"],
                name="experience_one_answer_per_day",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="experience_satisfaction_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["agency", "created_at"])]

    def __str__(self) -> str:
        return f"{self.service_page_id} / {self.channel} / {self.satisfaction}"

    def get_absolute_url(self) -> str:
        return reverse("experience:comments", args=[self.service_page_id])


class BrandValueAnswer(models.Model):
    """Was the brand value kept? ``brand_value_id`` is the default-language snippet's id."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="answers")
    brand_value_id = models.PositiveBigIntegerField()
    statement = models.CharField(max_length=120)
    kept = models.BooleanField()

    class Meta:
        verbose_name = _("brand value answer")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "brand_value_id"], name="experience_one_answer_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.kept}"


class FollowUp(models.Model):
    """A follow-up text after a counter or text-message contact the citizen agreed to; the
    citizen answers with one digit (1-5), which becomes their feedback on the service."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_follow_ups"
    )
    service_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    contact_channel = models.CharField(max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    feedback = models.OneToOneField(
        Feedback, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up"
    )

    class Meta:
        verbose_name = _("follow-up text")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.account_id} / {self.service_page_id}"
