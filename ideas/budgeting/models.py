"""Participatory budgeting: citizens decide what part of an agency's budget funds.

A ``BudgetProcess`` belongs to an agency and runs through dated phases (proposals → technical
review → voting → results → delivery). It holds one or more ``Budget``s (city-wide, one per
district…), each with its ballot rules and the counting rule the engine applies
(``ideas.budgeting.engine``). ``Project``s are proposed by citizens (as personas, screened
and moderated like ideas) or drawn by staff from ideas and co-design outcomes, then costed and
reviewed.

Who may vote is decided per process: a ``ResidentRegisterEntry`` the agency imported (only a
keyed hash of the identifying fields is stored), verification at a counter, or a verified
phone. Each eligible person is one ``Voter`` (UNIQUE(process, key)), and each voter has at most
one ``Ballot`` per budget (UNIQUE(budget, voter)) whatever the channel: a later ballot replaces
the earlier one in place (the earlier choices are kept as a ``BallotRevision``). Paper ballots
count only once a second staff member confirms them.
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

from community.content_i18n import translated_fields
from community.models import Organisation, Persona
from community.places.models import District, PlaceFields

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult

TITLE_MAX = 140
DESCRIPTION_MAX = 4000
REASON_MAX = 2000

_TRANSLATIONS_HELP = _(
    'Official text in other languages, e.g. {"es": {"title": "…"}} (see docs/languages.md).'
)


class Phase(models.TextChoices):
    """Where a process is, derived from its dates (``BudgetProcess.phase``)."""

    UPCOMING = "upcoming", _("Starting soon")
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Technical review")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results and delivery")


class BallotKind(models.TextChoices):
    """Mirrors ``engine.BallotKind`` (same values)."""

    APPROVAL = "approval", _("Approval (choose projects)")
    KNAPSACK = "knapsack", _("Knapsack (choices must fit the budget)")
    CUMULATIVE = "cumulative", _("Cumulative (share points)")
    RANKED = "ranked", _("Ranked (put projects in order)")


class CountingRule(models.TextChoices):
    """Mirrors ``engine.RuleName`` (same values)."""

    GREEDY = "greedy", _("Most votes first")
    GREEDY_STOP = "greedy-stop", _("Most votes first, stopping at the first that does not fit")
    EQUAL_SHARES = "equal-shares", _("Method of Equal Shares")


@translated_fields("title", "description")
class BudgetProcess(models.Model):
    """One participatory budget an agency runs, for the whole city or one district."""

    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="budget_processes",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_processes",
        help_text=_("Leave empty for the whole city."),
    )
    sms_code = models.CharField(
        _("text code"),
        max_length=12,
        blank=True,
        help_text=_(
            "Needed only when several processes are voting at once: people text VOTE, this "
            "code and the project numbers."
        ),
    )
    proposals_open = models.DateTimeField(_("proposals open"))
    proposals_close = models.DateTimeField(_("proposals close"))
    review_close = models.DateTimeField(_("technical review ends"))
    voting_open = models.DateTimeField(_("voting opens"))
    voting_close = models.DateTimeField(_("voting closes"))
    closed_early_at = models.DateTimeField(_("voting closed early"), null=True, blank=True)
    results_published = models.DateTimeField(_("results published"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Leave empty for no age limit.")
    )
    verify_by_register = models.BooleanField(_("residents match the register online"), default=True)
    verify_at_counter = models.BooleanField(_("staff verify residents at a counter"), default=True)
    verify_by_phone = models.BooleanField(_("a verified phone may vote by text"), default=False)
    register_fields = models.JSONField(
        _("register fields"),
        default=list,
        blank=True,
        help_text=_(
            "The register columns a resident types to prove who they are, e.g. "
            '["document_number", "postcode", "birth_date"].'
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-voting_open", "-id"]
        verbose_name = _("budget process")
        verbose_name_plural = _("budget processes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposals_open__lte=models.F("proposals_close"))
                & models.Q(proposals_close__lte=models.F("review_close"))
                & models.Q(review_close__lte=models.F("voting_open"))
                & models.Q(voting_open__lt=models.F("voting_close")),
                name="budget_process_phases_in_order",
            ),
            models.UniqueConstraint(
                Upper("sms_code"),
                condition=~models.Q(sms_code=""),
                name="budget_process_sms_code_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:process", args=[self.slug])

    @property
    def voting_ends(self) -> datetime:
        """When voting ends: the planned close, or earlier if staff closed it early."""
        if self.closed_early_at is not None and self.closed_early_at < self.voting_close:
            return self.closed_early_at
        return self.voting_close

    def phase_at(self, now: datetime | None = None) -> Phase:
        now = now or timezone.now()
        if self.results_published is not None and self.results_published <= now:
            return Phase.RESULTS
        if now >= self.voting_ends:
            return Phase.COUNTING
        if now >= self.voting_open:
            return Phase.VOTING
        if now >= self.proposals_close:
            return Phase.REVIEW
        if now >= self.proposals_open:
            return Phase.PROPOSALS
        return Phase.UPCOMING

    @property
    def phase(self) -> Phase:
        return self.phase_at()

    def is_voting_at(self, now: datetime | None = None) -> bool:
        return self.phase_at(now) == Phase.VOTING


@translated_fields("name")
class Budget(models.Model):
    """Money to share out within a process, with the ballot rules and the counting rule."""

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="budgets")
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only residents of this district vote in it. Leave empty for everyone."),
    )
    amount = models.PositiveBigIntegerField(_("amount"), help_text=_("In whole currency units."))
    ballot_kind = models.CharField(
        _("ballot"), max_length=20, choices=BallotKind.choices, default=BallotKind.APPROVAL
    )
    min_choices = models.PositiveSmallIntegerField(_("fewest choices"), default=0)
    max_choices = models.PositiveSmallIntegerField(_("most choices"), null=True, blank=True)
    points = models.PositiveIntegerField(
        _("points to share"), null=True, blank=True, help_text=_("Cumulative ballots only.")
    )
    rule = models.CharField(
        _("counting rule"),
        max_length=20,
        choices=CountingRule.choices,
        default=CountingRule.EQUAL_SHARES,
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["process", "position", "id"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_choices__isnull=True)
                | models.Q(max_choices__gte=models.F("min_choices")),
                name="budget_choice_limits_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(ballot_kind="cumulative") | models.Q(points__gt=0),
                name="budget_cumulative_has_points",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    FEASIBLE = "feasible", _("Feasible: on the ballot")
    REJECTED = "rejected", _("Not feasible")
    MERGED = "merged", _("Merged into another project")


@translated_fields("title", "description")
class Project(PlaceFields):
    """A costed proposal on one budget's ballot. ``number`` is its place in the process
    (1, 2, 3…), shown on the ballot and used by text (``VOTE 3 7 12``)."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="projects")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, help_text=_TRANSLATIONS_HELP
    )
    cost = models.PositiveBigIntegerField(
        _("estimated cost"), null=True, blank=True, help_text=_("Set at technical review.")
    )
    proposer = models.ForeignKey(
        Persona,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.ForeignKey(
        "codesign.Outcome", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    backlog_item = models.ForeignKey(
        "backlog.BacklogItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    feasibility = models.TextField(_("feasibility"), max_length=REASON_MAX, blank=True)
    rejection_reason = models.TextField(
        _("public reason for rejection"), max_length=REASON_MAX, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_projects",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["process", "number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"], name="budget_project_number_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state="rejected") | ~models.Q(rejection_reason=""),
                name="budget_project_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state="feasible") | models.Q(cost__isnull=False),
                name="budget_project_feasible_has_cost",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="budget_project_not_merged_into_itself",
            ),
        ]
        indexes = [models.Index(fields=["budget", "review_state"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("budgeting:project", args=[self.process.slug, self.number])

    @property
    def on_ballot(self) -> bool:
        return self.review_state == ReviewState.FEASIBLE and not self.is_hidden


class ResidentRegisterEntry(models.Model):
    """One resident from the register the agency imported, reduced to what eligibility needs.

    ``key`` is an HMAC (settings ``BUDGETING_REGISTER_KEY``) of the identifying fields the
    agency chose, normalised; the fields themselves are never stored.
    """

    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="register_entries"
    )
    key = models.CharField(max_length=64)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resident register entry")
        verbose_name_plural = _("resident register entries")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="budget_register_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.process_id}:{self.key[:8]}…"


class VerifiedBy(models.TextChoices):
    REGISTER = "register", _("Matched the resident register online")
    COUNTER = "counter", _("Verified in person at a counter")
    PHONE = "phone", _("Verified phone number")


class Voter(models.Model):
    """An eligible person in one process. ``key`` is who they are, whatever the channel:
    ``reg:<register hash>`` (online or at the counter against the register), ``counter:<hash>``
    (identity document seen by staff, no register) or ``phone:<hmac of the number>``.
    UNIQUE(process, key) and UNIQUE(process, user) make them one voter however they arrive.
    """

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="voters")
    key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_voters",
    )
    verified_by = models.CharField(_("verified by"), max_length=20, choices=VerifiedBy.choices)
    verified_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    consent_method = models.CharField(_("how the resident agreed"), max_length=20, blank=True)
    consent_text = models.CharField(_("what the resident agreed to"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="budget_voter_key_once"),
            models.UniqueConstraint(
                fields=["process", "user"],
                condition=models.Q(user__isnull=False),
                name="budget_voter_user_once",
            ),
        ]

    def __str__(self) -> str:
        return f"voter {self.pk} in {self.process_id}"


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    SMS = "sms", _("Text message")
    COUNTER = "counter", _("At a counter")
    PAPER = "paper", _("Paper ballot")


class Ballot(models.Model):
    """A voter's choices on one budget. One row per (budget, voter): a new ballot on any
    channel updates it in place (``version`` + 1, the old choices go to ``BallotRevision``).
    ``choices`` is ``{project number as text: weight}`` (approval 1 each, cumulative points,
    ranked position 1..n). Only ``is_counted`` ballots count: paper ones once confirmed."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="ballots")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    choices = models.JSONField(_("choices"), default=dict)
    version = models.PositiveIntegerField(default=1)
    is_counted = models.BooleanField(default=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"], name="budget_ballot_once_per_voter"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("entered_by")),
                name="budget_paper_confirmed_by_someone_else",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="paper")
                | models.Q(is_counted=False)
                | models.Q(confirmed_by__isnull=False),
                name="budget_paper_counts_once_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["budget", "is_counted"])]

    def __str__(self) -> str:
        return f"ballot {self.pk} on {self.budget_id}"


class BallotRevision(models.Model):
    """What a ballot said before it was replaced (audit; never exported)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    choices = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "version"], name="budget_ballot_revision_once"
            )
        ]

    def __str__(self) -> str:
        return f"ballot {self.ballot_id} v{self.version}"


class BudgetResult(models.Model):
    """The engine's result for one budget, stored so the results page can explain it.

    ``fates`` is ``{project number: {"selected", "score", "reason", "remaining_before",
    "rank", "paid_by"}}`` where ``paid_by`` maps a counted ballot's 0-based index in
    ``selectors.counted_ballots`` order (the open data numbers them from 1) to the amount it
    paid (Equal Shares only)."""

    budget = models.OneToOneField(Budget, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(max_length=20, choices=CountingRule.choices)
    amount = models.PositiveBigIntegerField()
    selected = models.JSONField(default=list)
    spent = models.PositiveBigIntegerField(default=0)
    fates = models.JSONField(default=dict)
    ballots_counted = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("budget result")
        verbose_name_plural = _("budget results")

    def __str__(self) -> str:
        return f"result of {self.budget_id}"
