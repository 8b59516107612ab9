"""Reports, one moderation case per content object, the append-only audit log, suspensions
and appeals. Content attaches through content types: any registered model can be moderated.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Organisation, Persona


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OFF_TOPIC = "off_topic", _("Off-topic")
    ILLEGAL = "illegal", _("Illegal")
    OTHER = "other", _("Other")


class CaseState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    HIDDEN = "hidden", _("Hidden")
    EDITED = "edited", _("Edited by a moderator")


class ModerationCase(models.Model):
    """Everything moderation knows about one piece of content: reports and holds gather here.

    ``is_hidden`` is the public visibility (held or hidden content is not shown).
    ``version`` grows with every decision: a decision names the version it was made on, so a
    second moderator deciding the same case at once gets "already decided", not an overwrite.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        Persona, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    excerpt = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.PENDING)
    is_hidden = models.BooleanField(default=False)
    held = models.BooleanField(_("held by screening"), default=False)
    hold_reasons = models.JSONField(default=list, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    top_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    public_reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    public_note = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_case_once"
            )
        ]
        indexes = [
            models.Index(fields=["state", "opened_at"]),
            models.Index(fields=["content_type", "is_hidden"]),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}: {self.state}"

    @property
    def label(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"


class Report(models.Model):
    """A person reporting a piece of content. Once per person and content (DB constraint)."""

    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="moderation_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter_id} reported {self.content_type_id}:{self.object_id}"


class ActionKind(models.TextChoices):
    REPORT = "report", _("Reported")
    HOLD = "hold", _("Held by screening")
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    EDIT = "edit", _("Edited")
    WARN = "warn", _("Author warned")
    SUSPEND = "suspend", _("Author suspended")
    BAN = "ban", _("Author banned")
    APPEAL = "appeal", _("Appealed")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal rejected: decision upheld")
    APPEAL_GRANTED = "appeal_granted", _("Appeal granted: decision reversed")
    REVEAL = "reveal", _("Account revealed")


DECISIONS = frozenset(
    {
        ActionKind.APPROVE,
        ActionKind.HIDE,
        ActionKind.EDIT,
        ActionKind.WARN,
        ActionKind.SUSPEND,
        ActionKind.BAN,
    }
)


class AppendOnlyError(RuntimeError):
    pass


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the moderation audit log is append-only")

    def delete(self):
        raise AppendOnlyError("the moderation audit log is append-only")


class ModerationAction(models.Model):
    """One line of the append-only audit log: who did what, when, why.

    Rows are only ever created (``save`` refuses updates, ``delete`` refuses). ``waited`` is
    the seconds from the case opening to a decision, kept so the transparency page is
    computed from this log alone.
    """

    case = models.ForeignKey(
        ModerationCase, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ActionKind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    target_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content_label = models.CharField(max_length=100, blank=True)
    waited = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.content_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("the moderation audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the moderation audit log is append-only")


class Suspension(models.Model):
    """An account may not contribute until ``ends_at`` (None: banned, no end)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_suspensions"
    )
    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="+")
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["account", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} until {self.ends_at or 'banned'}"

    @property
    def is_ban(self) -> bool:
        return self.ends_at is None


class Submission(models.Model):
    """A fingerprint of each screened text, for the repeated-posting rule (no text kept)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["account", "created_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.digest[:8]}"


class Appeal(models.Model):
    """The author contests a decision, once per action; a different moderator decides."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Decision upheld")
        GRANTED = "granted", _("Decision reversed")

    action = models.OneToOneField(ModerationAction, on_delete=models.PROTECT, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("why the decision should change"), max_length=2000)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"appeal of {self.action_id}: {self.state}"
