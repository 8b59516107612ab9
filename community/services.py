"""Writes for people: personas, roles, notifications, follows, consents, privacy.

Every function is keyword-only, checks permission, validates and writes inside
``transaction.atomic``. Other apps call these; they never write community models directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Model
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import follows as follow_registry
from community import notifications as categories
from community import permissions, versions
from community.events import NOTIFICATION_CREATED, NOTIFICATION_READ
from community.models import (
    AccountAccess,
    AssistedContribution,
    Consent,
    ConsentPurpose,
    Follow,
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    Persona,
    Role,
    User,
)
from community.names import name_key, reserved_keys, words
from community.privacy import erasers
from community.roles import sync_role_groups
from community.text import looks_like_html, plain_text
from realtime.events import publish
from realtime.groups import user_stream

logger = logging.getLogger(__name__)

PERSONA_NAME_MAX = 60
PERSONA_NAME_MIN = 2
DESCRIPTION_MAX = 1000
RESERVED_NAME_WORDS = frozenset(
    {
        "admin",
        "administrator",
        "moderator",
        "mod",
        "staff",
        "official",
        "government",
        "agency",
        "council",
        "mayor",
        "helpdesk",
        "civiccommons",
    }
)
# Folded as names are (community.names), so "\u0410dmin" (Cyrillic A) is "admin".
_RESERVED_KEYS = reserved_keys(RESERVED_NAME_WORDS)
_SITE_KEYS = reserved_keys({"civiccommons"})


# -- personas ---------------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    base = slugify(base)[:60] or "persona"
    slug = base
    while Persona.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _speaks_for_agency(organisation: Organisation | None, account: User | None) -> bool:
    return bool(
        organisation is not None
        and account is not None
        and organisation.kind == Organisation.Kind.AGENCY
        and permissions.is_staff_of(account, organisation)
    )


def validate_persona_name(
    display_name: str,
    *,
    exclude_pk: int | None = None,
    organisation: Organisation | None = None,
    account: User | None = None,
) -> str:
    """The cleaned name, or ValidationError if it is empty, too long, HTML, or impersonates.

    Impersonation: staff words ("moderator", "Adm1n"), an agency's name, or a name that folds
    to the same letters as another persona's ("Amara O." vs "amara 0"). Staff speaking for
    their own agency (``organisation`` set and ``account`` on its staff) may use staff words
    and the agency's name.
    """
    name = " ".join((display_name or "").split())
    if not name:
        raise ValidationError({"display_name": _("Choose a name to show with your contributions.")})
    if len(name) > PERSONA_NAME_MAX:
        raise ValidationError(
            {"display_name": _("Keep the name under %(n)d characters.") % {"n": PERSONA_NAME_MAX}}
        )
    if looks_like_html(name) or plain_text(name) != name:
        raise ValidationError({"display_name": _("Names cannot contain HTML.")})
    key = name_key(name)
    if len(key) < PERSONA_NAME_MIN:
        raise ValidationError(
            {"display_name": _("Use at least two letters or digits in the name.")}
        )
    official = _speaks_for_agency(organisation, account)
    if not official:
        folded_words = words(name)
        joined = "".join(folded_words)
        if any(w in _RESERVED_KEYS for w in folded_words) or any(k in joined for k in _SITE_KEYS):
            raise ValidationError(
                {"display_name": _("That name could be mistaken for a member of staff.")}
            )
        for agency_name in Organisation.objects.filter(kind=Organisation.Kind.AGENCY).values_list(
            "name", flat=True
        ):
            agency_key = name_key(agency_name)
            if len(agency_key) >= 4 and agency_key in key:
                raise ValidationError(
                    {"display_name": _("That name could be mistaken for an agency.")}
                )
    clash = Persona.objects.filter(is_anonymised=False, name_key=key)
    clash_exact = Persona.objects.filter(display_name__iexact=name, is_anonymised=False)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
        clash_exact = clash_exact.exclude(pk=exclude_pk)
    if clash.exists() or clash_exact.exists():
        raise ValidationError(
            {"display_name": _("Someone already uses that name, or one that looks like it.")}
        )
    return name


def _clean_description(description: str) -> str:
    if looks_like_html(description or ""):
        raise ValidationError(
            {"description": _("Descriptions are plain text: remove the HTML tags.")}
        )
    text = plain_text(description)
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError(
            {
                "description": _("Keep the description under %(n)d characters.")
                % {"n": DESCRIPTION_MAX}
            }
        )
    return text


def _check_organisation(account: User, organisation: Organisation | None) -> None:
    if organisation is not None and not permissions.can_speak_for(account, organisation):
        raise PermissionDenied(_("You can only speak for an organisation you belong to."))


def persona_create(
    *,
    account: User,
    display_name: str,
    description: str = "",
    organisation: Organisation | None = None,
    is_primary: bool | None = None,
) -> Persona:
    """Create a persona for ``account``. The first persona of an account becomes primary.

    Screened by moderation like all content: ``persona.screening.held`` means its public page
    shows "Awaiting review by a moderator." until a moderator approves it.
    """
    if not account.is_active:
        raise PermissionDenied(_("This account is closed."))
    _check_organisation(account, organisation)
    name = validate_persona_name(display_name, organisation=organisation, account=account)
    description = _clean_description(description)
    with transaction.atomic():
        has_any = account.personas.filter(is_anonymised=False).exists()
        primary = not has_any if is_primary is None else is_primary
        if primary and has_any:
            account.personas.filter(is_primary=True).update(is_primary=False)
        try:
            with transaction.atomic():
                persona = Persona.objects.create(
                    account=account,
                    display_name=name,
                    slug=_unique_slug(name),
                    description=description,
                    organisation=organisation,
                    is_primary=primary,
                )
        except IntegrityError:
            raise ValidationError(
                {"display_name": _("Someone already uses that name, or one that looks like it.")}
            ) from None
        persona.screening = _screen_persona(account, persona, edited=False)
        return persona


def _screen_persona(user: User, persona: Persona, *, edited: bool):
    """A public name and profile are content too: moderation screening may hold them."""
    from community.moderation.services import content_screen

    return content_screen(
        user=user,
        obj=persona,
        text=f"{persona.display_name}\n{persona.description}",
        edited=edited,
    )


def persona_update(
    *,
    user: User,
    persona: Persona,
    display_name: str,
    description: str = "",
    organisation: Organisation | None = None,
) -> Persona:
    """Rename or re-describe one's own persona (the public handle in its URL stays)."""
    if not permissions.can_act_as(user, persona):
        raise PermissionDenied(_("You can only change your own personas."))
    _check_organisation(user, organisation)
    name = validate_persona_name(
        display_name, exclude_pk=persona.pk, organisation=organisation, account=user
    )
    description = _clean_description(description)
    persona.display_name = name
    persona.description = description
    persona.organisation = organisation
    try:
        with transaction.atomic():
            persona.save()
            persona.screening = _screen_persona(user, persona, edited=True)
            versions.bump(versions.PUBLIC_NAMES)  # cached cards show the old name until then
    except IntegrityError:
        raise ValidationError(
            {"display_name": _("Someone already uses that name, or one that looks like it.")}
        ) from None
    return persona


def persona_make_primary(*, user: User, persona: Persona) -> Persona:
    """The primary persona is the one pages preselect when you contribute."""
    if not permissions.can_act_as(user, persona):
        raise PermissionDenied(_("You can only change your own personas."))
    with transaction.atomic():
        user.personas.exclude(pk=persona.pk).filter(is_primary=True).update(is_primary=False)
        persona.is_primary = True
        persona.save(update_fields=["is_primary"])
    return persona


# -- roles ------------------------------------------------------------------------------


def membership_grant(*, by: User, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` a role in ``organisation`` and the matching group.

    Only the organisation's agency admins (or superusers) may; staff roles exist only in
    agencies.
    """
    if not permissions.can_manage_members(by, organisation):
        raise PermissionDenied(_("Only this organisation's administrators can change roles."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in permissions.STAFF_ROLES and organisation.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"role": _("Staff roles exist only in agencies.")})
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        sync_role_groups(user)
    return membership


def membership_revoke(*, by: User, membership: Membership) -> None:
    if not permissions.can_manage_members(by, membership.organisation):
        raise PermissionDenied(_("Only this organisation's administrators can change roles."))
    user = membership.user
    with transaction.atomic():
        membership.delete()
        sync_role_groups(user)


# -- notifications ----------------------------------------------------------------------


def _unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        Notification.objects.filter(recipient_id__in=list(user_ids), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )


def wants_email(user_ids: Iterable[int], category: str) -> set[int]:
    """Which of ``user_ids`` want ``category`` by email (their preference, else the default)."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, category=category).values_list(
            "user_id", "email"
        )
    )
    default = categories.category(category).email_default
    return {uid for uid in ids if chosen.get(uid, default)}


def _enqueue_emails(notification_ids: list[int]) -> None:
    from community.tasks import deliver_notification_emails

    try:
        deliver_notification_emails.enqueue(notification_ids=notification_ids)
    except Exception:
        # The notification stands in-app; a failed enqueue must not break the caller's request.
        logger.exception("could not enqueue notification emails", extra={"ids": notification_ids})


def notify(
    *,
    recipients: Iterable[User],
    category: str,
    title: str | Callable[[], str],
    body: str | Callable[[], str] = "",
    url: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Record an in-app notification for each recipient (once each, never to ``exclude``).

    Call inside the write's transaction. After it commits, each recipient's header badge
    updates live (``notification.created`` on their private stream) and an email task is
    enqueued for the recipients who want ``category`` by email, and every registered delivery
    channel (texts) is handed the new ids. ``title`` and ``body`` may be functions: each is
    then called in the recipient's language, so people read notifications in their own
    language whoever caused them. Runs three queries however many recipients there are.
    """
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        if not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text_title = str(title() if callable(title) else title)
            text_body = str(body() if callable(body) else body)
        rows.append(
            Notification(
                recipient=user,
                category=category,
                title=plain_text(text_title)[:200],
                body=plain_text(text_body),
                url=url if url.startswith("/") and not url.startswith("//") else "",
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        unread = _unread_counts(seen)
        for note in created:
            publish(
                stream=user_stream(note.recipient_id),
                type=NOTIFICATION_CREATED,
                object_id=note.pk,
                data={
                    "title": note.title,
                    "url": note.url,
                    "category": note.category,
                    "unread": unread.get(note.recipient_id, 0),
                },
            )
        emailed = wants_email(seen, category)
        email_ids = [n.pk for n in created if n.recipient_id in emailed and n.recipient.email]
        if email_ids:
            transaction.on_commit(lambda: _enqueue_emails(email_ids))
        all_ids = [n.pk for n in created]
        for deliver in categories.channels():
            transaction.on_commit(partial(deliver, all_ids))
    return created


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the user's notifications read; returns unread left."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to see your notifications."))
    with transaction.atomic():
        qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
        ids = None if notification_ids is None else [int(i) for i in notification_ids]
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        changed = qs.update(read_at=timezone.now())
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        if changed:
            publish(
                stream=user_stream(user.pk),
                type=NOTIFICATION_READ,
                object_id=None,
                data={"ids": ids, "unread": unread},
            )
    return unread


def notification_preferences_set(*, user: User, email_categories: Iterable[str]) -> None:
    """Email exactly the listed categories (of those registered); the rest in-app only."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your preferences."))
    wanted = set(email_categories)
    known = {c.key for c in categories.categories()}
    unknown = wanted - known
    if unknown:
        raise ValidationError(_("Unknown notification category."))
    with transaction.atomic():
        for key in known:
            NotificationPreference.objects.update_or_create(
                user=user, category=key, defaults={"email": key in wanted}
            )


# -- follows ----------------------------------------------------------------------------


def follow(*, user: User, target: Model) -> Follow:
    """Follow anything registered with :func:`community.follows.register_followable`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to follow."))
    if not follow_registry.is_followable(target):
        raise ValidationError(_("That cannot be followed."))
    if isinstance(target, Persona) and target.account_id == user.pk:
        raise ValidationError(_("That is one of your own personas."))
    ct = ContentType.objects.get_for_model(target)
    obj, _created = Follow.objects.get_or_create(user=user, content_type=ct, object_id=target.pk)
    return obj


def unfollow(*, user: User, target: Model) -> None:
    ct = ContentType.objects.get_for_model(target)
    Follow.objects.filter(user=user, content_type=ct, object_id=target.pk).delete()


# -- consents ---------------------------------------------------------------------------


def consent_set(*, user: User, purpose: str, granted: bool) -> Consent:
    """Give or withdraw consent for ``purpose``; the time of each change is kept."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to manage your consents."))
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Unknown consent."))
    now = timezone.now()
    with transaction.atomic():
        consent, _created = Consent.objects.select_for_update().get_or_create(
            user=user, purpose=purpose
        )
        if consent.granted == granted and (consent.granted_at or consent.withdrawn_at):
            return consent
        consent.granted = granted
        if granted:
            consent.granted_at = now
        else:
            consent.withdrawn_at = now
        consent.save()
        if purpose == ConsentPurpose.INSIGHT_STATISTICS and not granted:
            from community.participation.privacy import forget_segments

            forget_segments(user)
    return consent


# -- staff access to accounts -----------------------------------------------------------


def account_access_record(
    *,
    staff: User,
    account: User,
    reason: str,
    organisation: Organisation | None = None,
    role: str = Role.MODERATOR,
) -> AccountAccess:
    """Record that ``staff`` looked at ``account`` and why; the citizen sees the entry.

    Moderation calls this (or :func:`persona_account_reveal`) whenever staff see account
    details. The reason is required and kept as plain text.
    """
    if not permissions.has_role(staff, role, organisation):
        raise PermissionDenied(_("Your role does not allow looking at accounts."))
    reason = plain_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why you need to look at this account.")})
    with transaction.atomic():
        return AccountAccess.objects.create(
            account=account,
            staff=staff,
            role=role,
            organisation=organisation,
            reason=reason[:300],
        )


def persona_account_reveal(
    *, staff: User, persona: Persona, organisation: Organisation, reason: str
) -> User | None:
    """The account behind ``persona``, for a moderator of ``organisation``; the look is logged.

    Returns None for an anonymised persona (its account was deleted).
    """
    if not permissions.can_reveal_account(staff, organisation):
        raise PermissionDenied(_("Only moderators of this agency can see who is behind a persona."))
    if persona.account_id is None or persona.is_anonymised:
        return None
    account = User.objects.get(pk=persona.account_id)
    account_access_record(staff=staff, account=account, reason=reason, organisation=organisation)
    return account


# -- account deletion -------------------------------------------------------------------


def account_delete(*, user: User, actor: User | None = None) -> None:
    """Remove the person's personal data; keep their contributions as "Former participant".

    The account row stays as an inactive tombstone (no email, name or password) so that
    contributions keep their foreign keys; personas are anonymised in place. Email addresses,
    sign-in connections, MFA devices, sessions (by the password change), consents,
    notifications, preferences, follows and memberships go; every registered eraser runs.
    Other people's content is never touched. All or nothing, in one transaction.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    if actor is None:
        actor = user
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only the account holder can delete an account."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active and user.username.startswith("deleted-"):
            return
        for erase in erasers():
            erase(user)
        personas = list(user.personas.all())
        persona_ct = ContentType.objects.get_for_model(Persona)
        Follow.objects.filter(
            content_type=persona_ct, object_id__in=[p.pk for p in personas]
        ).delete()
        for persona in personas:
            persona.is_anonymised = True
            persona.display_name = ""
            persona.description = ""
            persona.organisation = None
            persona.is_primary = False
            persona.slug = f"former-participant-{persona.pk}"
            persona.save()
        versions.bump(versions.PUBLIC_NAMES)  # no cached page may keep the old names
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.notifications.all().delete()
        user.notification_preferences.all().delete()
        user.consents.all().delete()
        user.follows.all().delete()
        user.memberships.all().delete()
        user.groups.clear()
        user.user_permissions.clear()
        _delete_wagtail_profile(user)
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()  # also ends every session: the session hash changes
        user.save()


def _delete_wagtail_profile(user: User) -> None:
    try:
        from wagtail.users.models import UserProfile
    except ImportError:  # pragma: no cover - wagtail.users is installed
        return
    UserProfile.objects.filter(user=user).delete()


# -- language -----------------------------------------------------------------------------


def account_language_set(*, user: User, language: str) -> User:
    """Remember the language pages, emails and texts use for this person."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to save your language."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose a language from the list.")})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return user


# -- assisted digital ---------------------------------------------------------------------

CONSENT_TEXT = {
    AssistedContribution.Action.IDEA: "Post this idea for me under my name.",
    AssistedContribution.Action.SUPPORT: "Support this idea for me.",
    AssistedContribution.Action.EXCHANGE_REQUEST: "Ask for this help for me in the exchange.",
}


def assisted_citizen(*, helper: User, organisation: Organisation, email: str) -> User:
    """The citizen a helper is about to assist, found by their exact email address.

    Only helpers who may assist for ``organisation`` may look; nothing is listed or searched.
    """
    if not permissions.can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
        )
    email = (email or "").strip()
    citizen = None
    if email:
        citizen = (
            User.objects.filter(is_active=True, emailaddress__email__iexact=email).first()
            or User.objects.filter(is_active=True, email__iexact=email).first()
        )
    if citizen is None:
        raise ValidationError(
            {
                "citizen_email": _(
                    "No account uses that email address. Check it with the citizen, or help "
                    "them sign up first."
                )
            }
        )
    if citizen.pk == helper.pk:
        raise ValidationError(
            {"citizen_email": _("That is your own account. Take part as yourself instead.")}
        )
    return citizen


def assisted_consent_check(*, consent_given: bool, consent_method: str) -> None:
    """Nothing is done for a citizen without their recorded consent."""
    errors = {}
    if not consent_given:
        errors["consent"] = _(
            "Ask the citizen first. Tick the box only when they have agreed. Nothing was sent."
        )
    if consent_method not in AssistedContribution.ConsentMethod.values:
        errors["consent_method"] = _("Say how the citizen agreed: in person or on the phone.")
    if errors:
        raise ValidationError(errors)


def assisted_record(
    *,
    helper: User,
    organisation: Organisation,
    citizen: User,
    persona: Persona | None,
    action: str,
    consent_method: str,
    target: Model,
) -> AssistedContribution:
    """Record who helped whom with what, and how consent was given.

    Call inside the same transaction as the contribution, after
    :func:`assisted_consent_check`. The citizen sees it on their privacy dashboard.
    """
    if not permissions.can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
        )
    with transaction.atomic():
        return AssistedContribution.objects.create(
            citizen=citizen,
            persona=persona,
            helper=helper,
            organisation=organisation,
            action=action,
            consent_method=consent_method,
            consent_text=CONSENT_TEXT[action],
            content_type=ContentType.objects.get_for_model(target),
            object_id=target.pk,
        )
