"""Surveys built in the CMS, their responses, and the research panel.

* :class:`SurveyPage` is a Wagtail page (created under the home page or the services index);
  its questions are a StreamField (:mod:`.blocks`). Answers are :class:`SurveyResponse` rows,
  one per survey and respondent (a keyed hash of the account, or of the browser for people
  not signed in, as insight visits are keyed), enforced by a unique constraint.
* :class:`PanelMember` is a citizen who opted in to the research panel, with the consent text
  version and time, and the segments they chose to share. :class:`Recruitment` is a
  designer's request for N testers; :class:`Invitation` is one sampled member's invitation.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from community.participation.models import AgeBand
from ideas.research.blocks import QuestionsBlock

SMS_CODE_MAX = 12


class Usage(models.TextChoices):
    """How a person mostly uses public services (a segment they may share)."""

    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")
    TEXT = "text", _("By text message")
    HELPED = "helped", _("With someone's help")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    SMS = "sms", _("Text message")


def consent_version(text: str) -> str:
    """A short fingerprint of a consent text: which wording a person agreed to."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


class SurveyPage(Page):
    agency = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "agency"},
        help_text=_("Its staff see the results."),
    )
    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    consent_text = models.TextField(
        _("consent text"),
        max_length=1000,
        help_text=_("What people agree to by answering: who sees the answers and why."),
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    sms_code = models.CharField(
        _("text message code"),
        max_length=SMS_CODE_MAX,
        blank=True,
        help_text=_(
            "Letters and digits people text after SURVEY to answer by text message "
            "(choice and scale questions only). Leave empty for web only."
        ),
    )
    ask_age_band = models.BooleanField(_("ask age group (optional for people)"), default=False)
    ask_area = models.BooleanField(_("ask area (optional for people)"), default=False)
    ask_usage = models.BooleanField(_("ask how they use the service (optional)"), default=False)
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("agency"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("consent_text"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("sms_code"),
        MultiFieldPanel(
            [FieldPanel("ask_age_band"), FieldPanel("ask_area"), FieldPanel("ask_usage")],
            heading=_("Segment questions"),
        ),
    ]
    parent_page_types = ["cms.HomePage", "cms.ServiceIndexPage"]
    subpage_types: list[str] = []
    template = "research/survey_page.html"

    class Meta:
        verbose_name = _("survey")

    def clean(self) -> None:
        from ideas.research.surveys import definition_errors, questions_from_stream

        super().clean()
        errors: dict[str, list[str]] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = [str(_("A survey must close after it opens."))]
        problems = definition_errors(questions_from_stream(self.questions))
        if problems:
            errors["questions"] = problems
        self.sms_code = self.sms_code.strip().upper()
        if self.sms_code:
            if not self.sms_code.isalnum():
                errors["sms_code"] = [str(_("Use letters and digits only."))]
            elif (
                SurveyPage.objects.filter(sms_code__iexact=self.sms_code)
                .exclude(translation_key=self.translation_key)
                .exists()
            ):
                errors["sms_code"] = [str(_("Another survey uses this code."))]
        if errors:
            raise ValidationError(errors)

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def question_list(self):
        from ideas.research.surveys import questions_from_stream

        return questions_from_stream(self.questions)

    def serve(self, request, *args, **kwargs):
        from ideas.research.views import survey_serve

        return survey_serve(request, self)


class SurveyResponse(models.Model):
    """One person's answers to one survey. Staff see them only as suppressed counts, free
    text (unless hidden by moderation) and the CSV; the respondent sees them in their export."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(max_length=40, help_text="Keyed hash; never an account id.")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    persona = models.ForeignKey(
        "community.Persona", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.WEB)
    answers = models.JSONField(default=dict)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    area = models.CharField(max_length=40, blank=True)
    usage = models.CharField(max_length=10, choices=Usage.choices, blank=True)
    consent_version = models.CharField(max_length=12)
    is_hidden = models.BooleanField(default=False, help_text="Free text hidden by moderation.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="survey_answered_once")
        ]
        indexes = [models.Index(fields=["survey", "created_at"], name="survey_response_time")]

    def __str__(self) -> str:
        return f"response {self.pk} to survey {self.survey_id}"


class PanelMember(models.Model):
    """A citizen in the research panel. ``withdrawn_at`` set: out of every sample and invite."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_panel"
    )
    consent_version = models.CharField(max_length=12)
    consented_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    age_band = models.CharField(_("age group"), max_length=10, choices=AgeBand.choices, blank=True)
    area = models.CharField(_("area you live in"), max_length=40, blank=True)
    usage = models.CharField(
        _("how you mostly use public services"), max_length=10, choices=Usage.choices, blank=True
    )

    class Meta:
        indexes = [models.Index(fields=["withdrawn_at"], name="panel_active")]

    def __str__(self) -> str:
        return f"panel member {self.pk}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Recruitment(models.Model):
    """A designer's request for testers, balanced by one segment."""

    class Kind(models.TextChoices):
        CODESIGN = "codesign", _("Co-design session")
        USABILITY = "usability", _("Usability test")

    class Balance(models.TextChoices):
        AGE_BAND = "age_band", _("Age group")
        AREA = "area", _("Area")
        USAGE = "usage", _("How they use services")

    agency = models.ForeignKey("community.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("for"), max_length=10, choices=Kind.choices, default=Kind.CODESIGN)
    session = models.ForeignKey(
        "codesign.CodesignSession",
        verbose_name=_("co-design session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    details = models.TextField(
        _("what invitees will do, when and where"), max_length=2000, blank=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    wanted = models.PositiveSmallIntegerField(_("how many testers"))
    balance_by = models.CharField(
        _("balance by"), max_length=10, choices=Balance.choices, default=Balance.AGE_BAND
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Awaiting reply")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled (consent withdrawn)")

    recruitment = models.ForeignKey(
        Recruitment, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_invitations"
    )
    stratum = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(default=timezone.now)
    replied_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recruitment", "user"], name="invited_once")]
        indexes = [models.Index(fields=["status", "reminded_at"], name="invitation_pending")]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.status})"
