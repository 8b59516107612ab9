"""The service exchange: offers and requests, conversations, thanks, safety, and the ledger.

Two groups of models live here:

* **Exchange**: a :class:`Post` (an offer or a request) is answered by an :class:`Exchange`
  (one conversation between the post's owner and one responder) holding :class:`Message` rows,
  a proposal and agreement of hours, both parties' confirmations, and afterwards
  :class:`ThankYou` notes. :class:`Block` and :class:`SafetyAcknowledgement` keep people
  safe; reports, holds, hiding and suspensions are the platform's one moderation mechanism
  (``community.moderation``, hooked up in ``community/exchange/moderation.py``).
* **Ledger** (double entry): an :class:`Account` per person, per intermediary organisation and
  per system purpose; a :class:`Transfer` is exactly two :class:`Movement` rows summing to
  zero. ``Account.balance`` is a cache of the movements, written only by
  ``services.credits_transfer`` in the same transaction and verified by
  ``manage.py ledger_check``.

A "side" of an exchange is a persona, optionally acting for an intermediary organisation on
someone's behalf; the side's credits go to the organisation's account if there is one, else to
the persona's account holder.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.models import Organisation, Persona
from community.places.models import PlaceFields

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult

HOURS = {"max_digits": 10, "decimal_places": 2}


def area_choices() -> list[tuple[str, str]]:
    """Neighbourhoods posts can be filed under (``settings.EXCHANGE["AREAS"]``)."""
    return list(settings.EXCHANGE["AREAS"])


def area_label(slug: str) -> str:
    return str(dict(area_choices()).get(slug, slug))


class Category(models.TextChoices):
    FORMS = "forms", _("Forms and paperwork")
    LIFTS = "lifts", _("Lifts and getting about")
    DIGITAL = "digital", _("Phones, computers and the internet")
    HOME = "home", _("Home and garden")
    ERRANDS = "errands", _("Shopping and errands")
    COMPANY = "company", _("Company and a friendly chat")
    LANGUAGES = "languages", _("Languages and reading")
    FAMILIES = "families", _("Children and families")
    SKILLS = "skills", _("Teaching a skill")
    OTHER = "other", _("Something else")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote (phone or video)")
    EITHER = "either", _("In person or remote")


class Side(models.TextChoices):
    OWNER = "owner", _("Poster")
    RESPONDER = "responder", _("Responder")


class Post(PlaceFields):
    """An offer of help or a request for it, shown under a persona (and intermediary)."""

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), help_text=_("Sanitised HTML."))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    area = models.CharField(_("area"), max_length=40)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    mode = models.CharField(_("in person or remote"), max_length=10, choices=Mode.choices)
    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="exchange_posts"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("intermediary"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_posts",
        help_text=_("The intermediary that posted this on someone's behalf, if any."),
    )
    on_behalf_of = models.CharField(_("on behalf of"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The account that actually posted (not shown publicly)."),
    )
    expires_on = models.DateField(_("show until"))
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offer or request")
        verbose_name_plural = _("offers and requests")
        indexes = [
            models.Index(fields=["expires_on", "-created_at"], name="exchange_post_live"),
            models.Index(fields=["kind", "category", "area"], name="exchange_post_filters"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(on_behalf_of=""),
                name="exchange_post_behalf_needs_intermediary",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area_label(self) -> str:
        return area_label(self.area)


class Exchange(models.Model):
    """One conversation between a post's owner and one responder, through to credits moving.

    Status moves open → agreed → completed, or to cancelled. Hours are proposed by one side and
    accepted by the other; completion needs both sides' confirmation and creates exactly one
    ledger transfer (``Transfer.exchange`` is unique).
    """

    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    class Status(models.TextChoices):
        OPEN = "open", _("Talking")
        AGREED = "agreed", _("Agreed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="exchanges")
    responder = models.ForeignKey(
        Persona, verbose_name=_("responder"), on_delete=models.PROTECT, related_name="+"
    )
    responder_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responder_on_behalf_of = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    proposed_hours = models.DecimalField(null=True, blank=True, **HOURS)
    proposed_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    hours = models.DecimalField(_("agreed hours"), null=True, blank=True, **HOURS)
    agreed_at = models.DateTimeField(null=True, blank=True)
    owner_confirmed_at = models.DateTimeField(null=True, blank=True)
    responder_confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "responder"],
                condition=Q(status__in=["open", "agreed"]),
                name="exchange_one_live_conversation_per_responder",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0), name="exchange_hours_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(hours__isnull=False),
                name="exchange_completed_has_hours",
            ),
        ]
        indexes = [models.Index(fields=["status", "completed_at"], name="exchange_status")]

    def __str__(self) -> str:
        return f"{self.post} ↔ {self.responder}"

    @property
    def provider_side(self) -> str:
        """The side giving the help (and earning the credits)."""
        return Side.OWNER if self.post.kind == Post.Kind.OFFER else Side.RESPONDER

    def confirmed_at(self, side: str):
        return self.owner_confirmed_at if side == Side.OWNER else self.responder_confirmed_at


class Message(models.Model):
    if TYPE_CHECKING:
        # Set by the action that wrote it: the content screening's result.
        screening: ScreenResult

    class Kind(models.TextChoices):
        TEXT = "text", _("Message")
        CONTACT = "contact", _("Contact details shared")
        EVENT = "event", _("Update")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="+")
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(help_text=_("Sanitised HTML."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["exchange", "created_at"], name="exchange_msg_time")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class ThankYou(models.Model):
    """A note of thanks after a completed exchange; one per side, no star ratings."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="thanks")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(Persona, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("thank-you note"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "side"], name="exchange_thanks_once")
        ]

    def __str__(self) -> str:
        return f"Thanks from {self.author}"


class SafetyAcknowledgement(models.Model):
    """The account has read the safety guidance shown before first contact."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_safety"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} read the safety guidance"


class Block(models.Model):
    """``blocker`` no longer hears from ``blocked`` (an account, found through a persona).

    The blocked account is never shown; the blocker sees the persona they blocked.
    """

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    via_persona = models.ForeignKey(Persona, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="exchange_block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="exchange_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


# -- ledger -------------------------------------------------------------------------------


class Account(models.Model):
    """Where time credits are held: one per person, per intermediary, per system purpose."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        SYSTEM = "system", _("System")

    kind = models.CharField(max_length=15, choices=Kind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_account",
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_account",
    )
    system_key = models.SlugField(max_length=40, null=True, blank=True, unique=True)
    balance = models.DecimalField(
        default=Decimal("0"),
        help_text=_("Cache of the sum of this account's movements; see ledger_check."),
        **HOURS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credit account")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="person",
                        user__isnull=False,
                        organisation__isnull=True,
                        system_key__isnull=True,
                    )
                    | Q(
                        kind="organisation",
                        user__isnull=True,
                        organisation__isnull=False,
                        system_key__isnull=True,
                    )
                    | Q(
                        kind="system",
                        user__isnull=True,
                        organisation__isnull=True,
                        system_key__isnull=False,
                    )
                ),
                name="exchange_account_one_owner",
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SYSTEM:
            return f"system:{self.system_key}"
        if self.kind == self.Kind.ORGANISATION:
            return f"organisation:{self.organisation_id}"
        return f"person:{self.user_id}"


class Transfer(models.Model):
    """Hours moved between two accounts: exactly two movements summing to zero."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange completed")
        ADJUSTMENT = "adjustment", _("Adjustment by staff")

    kind = models.CharField(max_length=15, choices=Kind.choices)
    memo = models.CharField(max_length=200)
    reason = models.TextField(blank=True, help_text=_("Required for adjustments (audit)."))
    exchange = models.OneToOneField(
        Exchange, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""),
                name="exchange_adjustment_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="exchange") | Q(exchange__isnull=False),
                name="exchange_transfer_has_exchange",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}: {self.memo}"


class Movement(models.Model):
    """One leg of a transfer: a signed amount of hours on one account."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="movements")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="movements")
    amount = models.DecimalField(**HOURS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="exchange_movement_hist")]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "account"], name="exchange_movement_leg"),
            models.CheckConstraint(condition=~Q(amount=0), name="exchange_movement_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+} on {self.account}"
