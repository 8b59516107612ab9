"""Backlog items, where they came from, what was said about them and every change made.

Only :mod:`ideas.backlog.actions` writes these rows. The allowed status moves live in
:data:`TRANSITIONS` (the one table views, the board and the inbound webhook consult).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.content_i18n import translated_fields
from community.models import Organisation
from ideas.backlog.crypto import EncryptedTextField
from ideas.models import Idea

TITLE_MAX = 160
TEXT_MAX = 5000


class ItemStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_DISCOVERY = "in_discovery", _("In discovery")
    IN_DELIVERY = "in_delivery", _("In delivery")
    DONE = "done", _("Done")
    WONT_DO = "wont_do", _("Won't do")


ORDER = list(ItemStatus.values)

# status → statuses reachable from it. Forward moves need nothing more; moves back (to an
# earlier status in ORDER, or out of won't do) need a reason (see ``needs_reason``).
TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.NEW: frozenset({ItemStatus.TRIAGED, ItemStatus.WONT_DO}),
    ItemStatus.TRIAGED: frozenset(
        {ItemStatus.NEW, ItemStatus.IN_DISCOVERY, ItemStatus.IN_DELIVERY, ItemStatus.WONT_DO}
    ),
    ItemStatus.IN_DISCOVERY: frozenset(
        {ItemStatus.TRIAGED, ItemStatus.IN_DELIVERY, ItemStatus.WONT_DO}
    ),
    ItemStatus.IN_DELIVERY: frozenset(
        {ItemStatus.IN_DISCOVERY, ItemStatus.DONE, ItemStatus.WONT_DO}
    ),
    ItemStatus.DONE: frozenset({ItemStatus.NEW, ItemStatus.IN_DELIVERY}),
    ItemStatus.WONT_DO: frozenset({ItemStatus.NEW, ItemStatus.TRIAGED}),
}


def is_backwards(old: str, new: str) -> bool:
    return old == ItemStatus.WONT_DO or (
        new != ItemStatus.WONT_DO and ORDER.index(new) < ORDER.index(old)
    )


def needs_reason(old: str, new: str) -> bool:
    """Won't do always needs a public reason; so does every move backwards."""
    return new == ItemStatus.WONT_DO or is_backwards(old, new)


class RoadmapStage(models.TextChoices):
    """What the public roadmap calls a status (items not yet triaged are not shown)."""

    EXPLORED = "explored", _("Being explored")
    BUILT = "built", _("Being built")
    DONE = "done", _("Done")
    NOT_DOING = "not_doing", _("Not going ahead")


STAGE_OF = {
    ItemStatus.TRIAGED: RoadmapStage.EXPLORED,
    ItemStatus.IN_DISCOVERY: RoadmapStage.EXPLORED,
    ItemStatus.IN_DELIVERY: RoadmapStage.BUILT,
    ItemStatus.DONE: RoadmapStage.DONE,
    ItemStatus.WONT_DO: RoadmapStage.NOT_DOING,
}

quarter_validator = RegexValidator(
    r"^20\d\d-Q[1-4]$", _("Write the quarter as YYYY-Qn, for example 2027-Q2.")
)
_factor = [MinValueValidator(1), MaxValueValidator(10)]


@translated_fields("title", "problem", "proposed_change", "public_reason")
class BacklogItem(models.Model):
    """A change an agency may make to a service, traced to the ideas it came from."""

    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="backlog_items",
        limit_choices_to={"kind": Organisation.Kind.AGENCY},
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    problem = models.TextField(_("problem"), max_length=TEXT_MAX)
    proposed_change = models.TextField(_("proposed change"), max_length=TEXT_MAX, blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"title": "…"}} (see docs/languages.md).'
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_backlog_items",
    )
    reach = models.PositiveSmallIntegerField(_("reach"), default=5, validators=_factor)
    impact = models.PositiveSmallIntegerField(_("impact"), default=5, validators=_factor)
    confidence = models.PositiveSmallIntegerField(_("confidence"), default=5, validators=_factor)
    effort = models.PositiveSmallIntegerField(_("effort"), default=5, validators=_factor)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NEW
    )
    public_reason = models.TextField(
        _("public reason"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Why it will not go ahead (required for won't do)."),
    )
    target_quarter = models.CharField(
        _("target quarter"), max_length=7, blank=True, validators=[quarter_validator]
    )
    is_public = models.BooleanField(_("shown on the public roadmap"), default=False)
    internal_notes = models.TextField(_("internal notes"), blank=True, max_length=TEXT_MAX)
    ideas = models.ManyToManyField(
        Idea, through="BacklogIdeaLink", related_name="backlog_items", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-status_changed_at", "-id"]
        verbose_name = _("backlog item")
        verbose_name_plural = _("backlog items")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ItemStatus.WONT_DO) | ~models.Q(public_reason=""),
                name="backlog_wont_do_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(reach__gte=1, reach__lte=10)
                & models.Q(impact__gte=1, impact__lte=10)
                & models.Q(confidence__gte=1, confidence__lte=10)
                & models.Q(effort__gte=1, effort__lte=10),
                name="backlog_factors_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["is_public", "status", "-status_changed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:item", args=[self.pk])

    def clean(self) -> None:
        if self.status == ItemStatus.WONT_DO and not self.public_reason.strip():
            raise ValidationError({"public_reason": _("Say publicly why it will not go ahead.")})

    @property
    def score(self) -> Decimal:
        """reach * impact * confidence / effort, to one decimal place (shown with its factors)."""
        raw = Decimal(self.reach * self.impact * self.confidence) / Decimal(self.effort)
        return raw.quantize(Decimal("0.1"))

    @property
    def stage(self) -> str | None:
        return STAGE_OF.get(self.status)

    @property
    def stage_label(self) -> str:
        return str(RoadmapStage(self.stage).label) if self.stage else ""


class BacklogIdeaLink(models.Model):
    """An idea an item came from. The idea's status follows the item's."""

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="idea_links")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="backlog_links")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "idea"], name="backlog_idea_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ← idea {self.idea_id}"


class BacklogSourceLink(models.Model):
    """Any other source (a co-design outcome, …) through content types; see ``sources.py``."""

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="source_links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "content_type", "object_id"], name="backlog_source_link_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.item_id} ← {self.content_type_id}:{self.object_id}"


class BacklogItemLink(models.Model):
    """One item relates to another (depends on, duplicates, follows from)."""

    from_item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="links_out")
    to_item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="links_in")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_item", "to_item"], name="backlog_item_link_once"),
            models.CheckConstraint(
                condition=~models.Q(from_item=models.F("to_item")), name="backlog_item_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_item_id} → {self.to_item_id}"


@translated_fields("body")
class PublicUpdate(models.Model):
    """What the public reads on the roadmap about an item's progress."""

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="public_updates")
    status = models.CharField(max_length=20, choices=ItemStatus.choices)
    body = models.TextField(_("public update"), max_length=TEXT_MAX)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"body": "…"}} (see docs/languages.md).'
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} update {self.created_at:%Y-%m-%d}"


class BacklogHistory(models.Model):
    """One changed field of one item: who (or which integration), when, from what, to what."""

    class Via(models.TextChoices):
        WEB = "web", _("Website")
        TRACKER = "tracker", _("Agency tracker")
        PROMOTION = "promotion", _("Promotion")

    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via = models.CharField(max_length=20, choices=Via.choices, default=Via.WEB)
    field = models.CharField(max_length=40)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.item_id}.{self.field}: {self.old_value!r} → {self.new_value!r}"


class WebhookEndpoint(models.Model):
    """An agency's back-office tracker: where item events go, and the shared signing secret
    that also authenticates the tracker's inbound status updates."""

    agency = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="backlog_webhook"
    )
    url = models.URLField(_("URL"), max_length=500)
    # Encrypted at rest with WEBHOOK_SECRET_KEYS (ideas/backlog/crypto.py); plain in Python.
    secret = EncryptedTextField(_("signing secret"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agency} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint. The idempotency key travels in a header so the receiver
    can drop a duplicate; the row is never delivered twice by us once it succeeded."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=60)
    item = models.ForeignKey(
        BacklogItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while an attempt's HTTP call is in flight (no row lock is held during it).
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.state})"


class InboundReceipt(models.Model):
    """Signatures already accepted from a tracker: the same signed call is never applied twice."""

    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "signature"], name="inbound_signature_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.signature[:12]}"
