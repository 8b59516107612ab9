"""The account itself: its language, and deleting it (personal data out, contributions kept)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from community import permissions, versions
from community.models import Follow, Persona, User
from community.privacy import erasers


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


def account_language_set(*, user: User, language: str) -> User:
    """Remember the language pages, emails and texts use for this person."""
    if not permissions.can_contribute(user):
        raise PermissionDenied(_("Sign in to save your language."))
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose a language from the list.")})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
    return user
