"""Accounts, personas, organisations, roles, notifications and follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from community.content_i18n import translated_fields

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult


class User(AbstractUser):
    """An account. Its personas, not the account, appear next to anything it contributes."""

    if TYPE_CHECKING:
        # Per-request cache of organisation id → roles (community.permissions._roles).
        _role_cache: dict[int, set[str]]

    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        help_text=_("The language pages, emails and texts use (empty: the site's default)."),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.email or self.username


@translated_fields("name", "description")
class Organisation(models.Model):
    """An agency of the government, or an intermediary (voluntary group, business)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency")
        INTERMEDIARY = "intermediary", _("Intermediary")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_(
            'Official text in other languages, e.g. {"es": {"name": "…"}} (see docs/languages.md).'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles a person holds *within* an organisation. Citizen is the default: no membership."""

    MEMBER = "member", _("Member")
    COUNTER_STAFF = "counter_staff", _("Service counter staff")
    MODERATOR = "moderator", _("Moderator")
    SERVICE_DESIGNER = "service_designer", _("Service designer")
    EDITOR = "editor", _("Editor")
    AGENCY_ADMIN = "agency_admin", _("Agency admin")


class Membership(models.Model):
    """A person's role in an organisation: staff roles are scoped to their agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"


class Persona(models.Model):
    """A public face of an account. Contributions show the persona, never the account.

    Other personas of the same account are never revealed to other citizens. After account
    deletion the persona stays, anonymised, so discussions remain readable.
    """

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personas",
    )
    display_name = models.CharField(_("display name"), max_length=60)
    slug = models.SlugField(_("public handle"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personas",
        help_text=_("The organisation this persona speaks for, if any."),
    )
    is_primary = models.BooleanField(_("primary persona"), default=False)
    is_anonymised = models.BooleanField(default=False)
    name_key = models.CharField(
        max_length=60,
        blank=True,
        editable=False,
        help_text="display_name folded for look-alike checks (see community.names).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                condition=models.Q(is_anonymised=False),
                name="persona_unique_display_name",
            ),
            models.UniqueConstraint(
                fields=["name_key"],
                condition=models.Q(is_anonymised=False) & ~models.Q(name_key=""),
                name="persona_unique_name_key",
            ),
        ]
        permissions = [
            ("reveal_account", "Can look up the account behind a persona (the look is recorded)")
        ]

    def __str__(self) -> str:
        return self.public_name

    def save(self, *args, **kwargs):
        # A derived column, not a side effect: kept in step with display_name on every save.
        from community.names import name_key

        self.name_key = name_key(self.display_name) if not self.is_anonymised else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("community:persona_detail", kwargs={"slug": self.slug})

    @property
    def public_name(self) -> str:
        return str(_("Former participant")) if self.is_anonymised else self.display_name


class Notification(models.Model):
    """Something a person should hear about; shown in-app and delivered by email if wanted."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(_("category"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set once the email went out; it is never sent twice."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Whether a person wants a category of notification by email (in-app always shows)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("category"), max_length=40)
    email = models.BooleanField(_("send by email"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {'email' if self.email else 'in-app only'}"


class ConsentPurpose(models.TextChoices):
    """What a citizen may agree to. Nothing here is needed to take part."""

    CONTACT_ABOUT_IDEAS = "contact_about_ideas", _("Let agencies contact me about my ideas")
    INSIGHT_STATISTICS = "insight_statistics", _("Include me in insight statistics")
    RESEARCH_INVITATIONS = (
        "research_invitations",
        _("Invite me to co-design sessions and user research"),
    )


class Consent(models.Model):
    """A person's current answer for one purpose, with when it was last given and withdrawn."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("given"), default=False)
    granted_at = models.DateTimeField(_("given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "purpose"], name="consent_once")]
        indexes = [models.Index(fields=["purpose", "granted"])]

    def __str__(self) -> str:
        state = "given" if self.granted else "withdrawn"
        return f"{self.user_id} {self.purpose}: {state}"


class AccountAccess(models.Model):
    """A member of staff looked at the account behind a persona. The citizen sees these.

    The role and agency are copied at the time of the look so the entry stays true when the
    staff member's roles change; the staff account itself is never shown to the citizen.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts_accessed",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]
        verbose_name = _("account access")
        verbose_name_plural = _("account access log")

    def __str__(self) -> str:
        return f"{self.get_role_display()} looked at {self.account_id}: {self.reason}"


class Follow(models.Model):
    """An account following anything (a challenge, an idea, a persona) through content types."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.content_type_id}:{self.object_id}"


class AssistedContribution(models.Model):
    """Someone helped a citizen take part (at a service counter, or a volunteer of an
    intermediary), with the citizen's consent recorded here.

    The contribution itself (an idea, a support, an exchange request) is the citizen's, under
    their persona; this row says who helped, for which organisation, how the citizen agreed,
    and when. The citizen sees it on their privacy dashboard; the public sees "Posted with
    help from <organisation>" (never the helper).
    """

    class Action(models.TextChoices):
        IDEA = "idea", _("Posted an idea")
        SUPPORT = "support", _("Supported an idea")
        EXCHANGE_REQUEST = "exchange_request", _("Asked for help in the exchange")

    class ConsentMethod(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("On the phone")

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assisted_contributions"
    )
    persona = models.ForeignKey(
        Persona, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assisted_for_others",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assisted_contributions"
    )
    action = models.CharField(_("what"), max_length=20, choices=Action.choices)
    consent_method = models.CharField(
        _("how the citizen agreed"), max_length=20, choices=ConsentMethod.choices
    )
    consent_text = models.CharField(_("what the citizen agreed to"), max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assisted contribution")
        verbose_name_plural = _("assisted contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="assisted_contribution_once"
            )
        ]
        indexes = [models.Index(fields=["citizen", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} for {self.citizen_id} via {self.organisation}"
