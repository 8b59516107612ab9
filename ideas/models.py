"""Challenges, ideas, support, comments and the records kept about them.

Counts on :class:`Idea` (``support_count``, ``comment_count``) are denormalised for fast
boards; only :mod:`ideas.actions` changes them, in the same transaction as the rows they
count. Every "only once" rule is a database constraint.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from community.content_i18n import translated_fields
from community.models import Organisation, Persona
from community.places.models import PlaceFields

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult

TITLE_MAX = 140
BODY_MAX = 5000
COMMENT_MAX = 2000
RESPONSE_MAX = 5000


class Phase(models.TextChoices):
    """Where a challenge is in its life, derived from its dates."""

    UPCOMING = "upcoming", _("Opening soon")
    OPEN = "open", _("Open for ideas")
    REVIEW = "review", _("In review")
    CLOSED = "closed", _("Closed")


class ChallengeQuerySet(models.QuerySet["Challenge"]):
    def published(self) -> ChallengeQuerySet:
        return self.filter(is_published=True)

    def in_phase(self, phase: str, now: datetime | None = None) -> ChallengeQuerySet:
        now = now or timezone.now()
        if phase == Phase.UPCOMING:
            return self.filter(opens_at__gt=now)
        if phase == Phase.OPEN:
            return self.filter(opens_at__lte=now, ideas_close_at__gt=now)
        if phase == Phase.REVIEW:
            return self.filter(ideas_close_at__lte=now, closes_at__gt=now)
        if phase == Phase.CLOSED:
            return self.filter(closes_at__lte=now)
        return self.none()


@translated_fields("question", "cover_text", "background")
class Challenge(PlaceFields):
    """A question an agency puts to citizens ("How might we …?") with its own idea board.

    Phases come from the dates: upcoming → open for ideas (``opens_at``) → review
    (``ideas_close_at``: no new ideas; support and comments continue) → closed (``closes_at``:
    read only). Staff close a phase early by moving its date.
    """

    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="challenges",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    question = models.CharField(
        _("question"), max_length=200, help_text=_('Usually "How might we …?"')
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    sms_code = models.CharField(
        _("text code"),
        max_length=12,
        blank=True,
        help_text=_(
            "A short word people text before their idea, like PARKS. Letters and numbers only."
        ),
    )
    cover_text = models.CharField(
        _("cover text"), max_length=300, blank=True, help_text=_("One or two sentences for cards.")
    )
    background = models.TextField(_("background"), blank=True, max_length=10000)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"question": "…"}} (see docs/languages.md).'
        ),
    )
    service_pages = models.ManyToManyField(
        "wagtailcore.Page",
        verbose_name=_("service pages"),
        blank=True,
        related_name="challenges",
    )
    tags = TaggableManager(_("tags"), blank=True)
    opens_at = models.DateTimeField(_("opens for ideas"))
    ideas_close_at = models.DateTimeField(_("closes for new ideas"))
    closes_at = models.DateTimeField(_("closes"))
    is_published = models.BooleanField(_("published"), default=True)
    allow_self_support = models.BooleanField(
        _("authors may support their own ideas"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChallengeQuerySet.as_manager()
    # The number of ideas its board shows, set by ideas.selectors.with_idea_totals.
    idea_total: int

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("ideas_close_at"))
                & models.Q(ideas_close_at__lte=models.F("closes_at")),
                name="challenge_phases_in_order",
            ),
            models.UniqueConstraint(
                Upper("sms_code"), condition=~models.Q(sms_code=""), name="challenge_sms_code_once"
            ),
        ]
        indexes = [models.Index(fields=["is_published", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("ideas:board", args=[self.pk])

    def clean(self) -> None:
        if self.sms_code and not re.fullmatch(r"[A-Za-z0-9]{2,12}", self.sms_code):
            raise ValidationError(
                {"sms_code": _("Use 2 to 12 letters or numbers, with no spaces.")}
            )
        if self.opens_at and self.ideas_close_at and self.opens_at >= self.ideas_close_at:
            raise ValidationError(
                {"ideas_close_at": _("Ideas must close after the challenge opens.")}
            )
        if self.ideas_close_at and self.closes_at and self.ideas_close_at > self.closes_at:
            raise ValidationError(
                {"closes_at": _("The challenge cannot close before it stops taking ideas.")}
            )

    def phase_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now < self.ideas_close_at:
            return Phase.OPEN
        if now < self.closes_at:
            return Phase.REVIEW
        return Phase.CLOSED

    @property
    def phase(self) -> str:
        return self.phase_at()

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label


class Status(models.TextChoices):
    """An idea's progress. Every status after the first needs an official public response."""

    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    IN_BACKLOG = "in_backlog", _("In backlog")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")


class IdeaQuerySet(models.QuerySet):
    def visible(self) -> IdeaQuerySet:
        """Ideas shown on boards: merged duplicates redirect to their survivor instead."""
        return self.filter(merged_into__isnull=True)


class Idea(PlaceFields):
    """A citizen's idea on a challenge's board, posted as one of their personas."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult
        # Set by ideas.actions.ideas.idea_create: how it arrived ("web", "api", "sms", …).
        channel: str

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="ideas")
    persona = models.ForeignKey(
        Persona, verbose_name=_("posted as"), on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("idea"), max_length=BODY_MAX)
    tags = TaggableManager(_("tags"), blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.SUBMITTED
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"
            )
        ]
        # Board pages walk these in order and stop after one page (bench/ cost_growth): each
        # holds a board's visible ideas in exactly a sort order's ORDER BY, ties included.
        indexes = [
            models.Index(
                fields=["challenge", "-created_at", "-id"],
                condition=models.Q(merged_into__isnull=True),
                name="idea_board_newest",
            ),
            models.Index(
                fields=["challenge", "-support_count", "-created_at", "-id"],
                condition=models.Q(merged_into__isnull=True),
                name="idea_board_top",
            ),
            models.Index(fields=["challenge", "status"]),
            # Newest ideas across boards (home and service pages, live activity).
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(merged_into__isnull=True),
                name="idea_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:idea_detail", args=[self.pk])

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def is_authored_by(self, user) -> bool:
        return bool(getattr(user, "is_authenticated", False) and self.persona.account_id == user.pk)


class IdeaRevision(models.Model):
    """The text an idea had before an edit: the public edit history."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["idea", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} (before {self.created_at:%Y-%m-%d %H:%M})"


class Vote(models.Model):
    """One account's support for one idea. The unique constraint makes a second one impossible,
    whichever persona, tab or process it comes from."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    persona = models.ForeignKey(
        Persona, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("support")
        constraints = [
            models.UniqueConstraint(fields=["idea", "account"], name="vote_once_per_account")
        ]
        indexes = [
            models.Index(fields=["idea", "created_at"]),
            # Trending reads only the support given in its window (ideas.selectors).
            models.Index(fields=["created_at"], name="vote_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} supports {self.idea_id}"


class Comment(models.Model):
    """A comment on an idea, or a reply to a top-level comment (threads are one level deep)."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    persona = models.ForeignKey(
        Persona, verbose_name=_("posted as"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["idea", "created_at"])]

    def __str__(self) -> str:
        return f"{self.persona} on {self.idea_id}"

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError(_("Reply to the original comment, not to a reply."))
            if self.parent.idea_id != self.idea_id:
                raise ValidationError(_("A reply must be on the same idea."))


@translated_fields("response")
class StatusChange(models.Model):
    """An agency's official, public response that moved an idea to a new status."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    response = models.TextField(_("official response"), max_length=RESPONSE_MAX)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"response": "…"}} (see '
            "docs/languages.md)."
        ),
    )
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["idea", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"
