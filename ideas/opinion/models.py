"""Stored opinion maps and what idea boards know about who saw which idea."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionMap(models.Model):
    """The last computed map of one subject (a board, a conversation), read by every page.

    ``version`` counts changes to the subject's votes (moved by ``services.schedule_recompute``
    after each change commits); ``votes_seen`` is the version the stored ``result`` was
    computed from, so ``votes_seen < version`` means a newer map is on its way.
    ``queued_at`` is set while a recompute is queued and not yet started: the debounce (one
    queued run per subject) and, once older than ``STALE_QUEUE_SECONDS``, the sign of a lost
    one. ``result`` is the engine's ``OpinionResult.to_json()``: no participant keys.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not computed yet")
        READY = "ready", _("Computed")
        NO_IMPRESSIONS = "no_impressions", _("Which ideas people saw is not recorded")

    kind = models.CharField(max_length=20)
    subject_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0)
    votes_seen = models.PositiveBigIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("opinion map")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id"], name="opinion_one_map_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.status})"


class BoardImpression(models.Model):
    """The ideas of one board one account was shown (cards rendered for them, or reported by
    the live board as scrolled into view): the "seen" of the board's opinion map.

    ``ideas`` is a sorted list of idea ids, one row per account and board, so a board costs
    one row per participant, not one per view. Personal data: exported and erased with the
    account (``privacy.py``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_impressions"
    )
    challenge = models.ForeignKey(
        "ideas.Challenge", on_delete=models.CASCADE, related_name="impressions"
    )
    ideas = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("board impression")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "challenge"], name="opinion_one_impression_row_per_board"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} / {self.challenge_id}: {len(self.ideas)}"
