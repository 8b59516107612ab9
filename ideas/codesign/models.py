"""Co-design sessions: a shared live board a service designer takes through fixed phases.

Every change is applied by :mod:`ideas.codesign.actions` with a version check: the session
row carries ``version`` (phase, lock, reveal, timer), each note and group its own ``version``
(text, position, group, name). Unique constraints back the "once" rules (one participant row
per account or guest key per session).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Organisation, Persona
from community.places.models import PlaceFields

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult

NOTE_MAX = 280
TITLE_MAX = 200
GOAL_MAX = 2000
GROUP_NAME_MAX = 80
GUEST_NAME_MAX = 40
BOARD_SIZE = 2000  # note positions are 0..BOARD_SIZE on both axes
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Phase(models.TextChoices):
    LOBBY = "lobby", _("Lobby")
    BRIEF = "brief", _("Brief")
    DIVERGE = "diverge", _("Add notes")
    CLUSTER = "cluster", _("Group notes")
    VOTE = "vote", _("Vote")
    DECIDE = "decide", _("Decide")
    SUMMARY = "summary", _("Summary")


PHASES: list[str] = list(Phase.values)


class Visibility(models.TextChoices):
    OPEN = "open", _("Open: listed, anyone signed in may join")
    INVITED = "invited", _("Invited: only people with the link or code")


class Colour(models.TextChoices):
    YELLOW = "yellow", _("Yellow")
    PINK = "pink", _("Pink")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")
    ORANGE = "orange", _("Orange")


class CodesignSession(PlaceFields):
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="codesign_sessions",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    challenge = models.ForeignKey(
        "ideas.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codesign_sessions",
    )
    service_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("service page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    goal = models.TextField(_("goal"), max_length=GOAL_MAX)
    scheduled_at = models.DateTimeField(_("starts at"))
    code = models.CharField(_("join code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    visibility = models.CharField(
        _("who may join"), max_length=10, choices=Visibility.choices, default=Visibility.OPEN
    )
    allow_guests = models.BooleanField(_("named guests may join without an account"), default=False)
    hide_notes = models.BooleanField(_("hide notes from others until revealed"), default=False)
    revealed = models.BooleanField(default=False)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.LOBBY)
    locked = models.BooleanField(default=False)
    vote_budget = models.PositiveSmallIntegerField(_("votes per person"), default=5)
    group_cap = models.PositiveSmallIntegerField(_("most votes per person on one group"), default=3)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    seed_ideas = models.ManyToManyField(
        "ideas.Idea", verbose_name=_("ideas shown in the brief"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["visibility", "scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vote_budget__gte=1) & models.Q(group_cap__gte=1),
                name="codesign_session_vote_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("codesign:session", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.phase == Phase.SUMMARY

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def notes_hidden(self) -> bool:
        """Other participants see placeholders instead of note text."""
        return self.hide_notes and not self.revealed


class Prompt(models.Model):
    """A column on the board ("What works?", "What gets in the way?")."""

    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="prompts")
    text = models.CharField(_("prompt"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Participant(models.Model):
    """Someone in a session: an account speaking as one of its personas, or a named guest.

    Guests have no account; their browser holds ``guest_key`` in its signed session (see
    ``ideas.codesign.guests``). Nobody's account is ever shown: only persona or guest names.
    """

    session = models.ForeignKey(
        CodesignSession, on_delete=models.CASCADE, related_name="participants"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    persona = models.ForeignKey(
        Persona, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(max_length=GUEST_NAME_MAX, blank=True)
    guest_key = models.CharField(max_length=64, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "account"],
                condition=models.Q(account__isnull=False),
                name="codesign_one_participant_per_account",
            ),
            models.UniqueConstraint(
                fields=["session", "guest_key"],
                condition=~models.Q(guest_key=""),
                name="codesign_one_participant_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(account__isnull=False) | ~models.Q(guest_key=""),
                name="codesign_participant_is_account_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_guest(self) -> bool:
        return self.account_id is None

    @property
    def name(self) -> str:
        if self.is_guest:
            return str(_("%(name)s (guest)") % {"name": self.guest_name})
        if self.persona_id and not self.persona.is_anonymised:
            return self.persona.display_name
        return str(_("A participant"))


class NoteGroup(models.Model):
    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group name"), max_length=GROUP_NAME_MAX)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    """A sticky note. ``is_hidden`` mirrors moderation (held or hidden: shown to nobody)."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="notes")
    prompt = models.ForeignKey(
        Prompt, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=NOTE_MAX)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    x = models.PositiveSmallIntegerField(default=0)
    y = models.PositiveSmallIntegerField(default=0)
    group = models.ForeignKey(
        NoteGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    version = models.PositiveIntegerField(default=1)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "is_hidden"])]

    def __str__(self) -> str:
        return self.text[:60]


class Dot(models.Model):
    """One vote dot a participant put on a group (several dots on one group are allowed)."""

    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dots")
    group = models.ForeignKey(NoteGroup, on_delete=models.CASCADE, related_name="dots")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["participant", "group"])]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.group_id}"


class Outcome(models.Model):
    """What the facilitator decided, from a group; promoted into the agency's backlog."""

    session = models.ForeignKey(CodesignSession, on_delete=models.CASCADE, related_name="outcomes")
    group = models.ForeignKey(
        NoteGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    title = models.CharField(_("outcome"), max_length=TITLE_MAX)
    description = models.TextField(_("what should change"), max_length=GOAL_MAX, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    backlog_item = models.ForeignKey(
        "backlog.BacklogItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "group"],
                condition=models.Q(group__isnull=False),
                name="codesign_one_outcome_per_group",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PhaseChange(models.Model):
    """When the session entered each phase (the summary's timeline)."""

    session = models.ForeignKey(
        CodesignSession, on_delete=models.CASCADE, related_name="phase_changes"
    )
    phase = models.CharField(max_length=10, choices=Phase.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.phase}"
