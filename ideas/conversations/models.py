"""Conversations: short statements that people agree with, disagree with or pass on.

A conversation belongs to an agency (a community ``Organisation``), optionally on one of its
challenges. Statements are numbered within their conversation (the number people see and text
by SMS). A vote is one row per account and statement (a unique constraint): changing one's
mind updates the row, so the last vote wins. Votes are never public; only aggregates and the
anonymous Pol.is export leave the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Organisation, Persona

TITLE_MAX = 140
QUESTION_MAX = 500
STATEMENT_MAX = 280


if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult


class Conversation(models.Model):
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="conversations",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    challenge = models.ForeignKey(
        "ideas.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversations",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    question = models.TextField(_("question"), max_length=QUESTION_MAX)
    sms_code = models.CharField(
        _("text code"),
        max_length=12,
        blank=True,
        help_text=_("A short word people text after JOIN, like BUSES. Letters and numbers only."),
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    allow_statements = models.BooleanField(_("participants may add statements"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                Upper("sms_code"),
                condition=~models.Q(sms_code=""),
                name="conversation_sms_code_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.pk])

    def is_open_at(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    @property
    def is_open(self) -> bool:
        return self.is_open_at()

    @property
    def has_started(self) -> bool:
        return self.opens_at <= timezone.now()


class Statement(models.Model):
    """A short statement in a conversation, posted as a persona. ``number`` is its place in
    the conversation (1, 2, 3…), shown to people and used by SMS (``A 12``)."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(_("number"))
    persona = models.ForeignKey(
        Persona, verbose_name=_("posted as"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX)
    is_seed = models.BooleanField(_("posted by the agency"), default=False)
    is_hidden = models.BooleanField(default=False)
    backlog_item = models.ForeignKey(
        "backlog.BacklogItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="statement_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def get_absolute_url(self) -> str:
        return f"{self.conversation.get_absolute_url()}#statement-{self.number}"


class Choice(models.IntegerChoices):
    """Pol.is's coding: 1 agree, -1 disagree, 0 pass."""

    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class StatementVote(models.Model):
    """One account's vote on one statement; changing it updates this row (last wins)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statement_votes"
    )
    value = models.SmallIntegerField(choices=Choice.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statement vote")
        verbose_name_plural = _("statement votes")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "account"], name="statement_vote_once_per_account"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="statement_vote_value"
            ),
        ]
        indexes = [models.Index(fields=["account", "statement"])]

    def __str__(self) -> str:
        return f"{self.account_id} on {self.statement_id}: {self.value}"


class TextParticipant(models.Model):
    """The conversation an account votes in by SMS: the last one it joined (``JOIN code``)."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.account_id} in {self.conversation_id}"
