"""Personas: the public names people contribute under.

``validate_persona_name`` is the one name rule (forms and sign-up call it too); creating or
renaming a persona screens its name and description like any other content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community import permissions, versions
from community.models import Organisation, Persona, User
from community.names import name_key, reserved_keys, words
from community.text import looks_like_html, plain_text

if TYPE_CHECKING:
    from community.moderation.actions.holds import ScreenResult

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

_RESERVED_KEYS = reserved_keys(RESERVED_NAME_WORDS)
_SITE_KEYS = reserved_keys({"civiccommons"})


def _unique_slug(base: str) -> str:
    base = slugify(base)[:60] or "persona"
    slug = base
    while Persona.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


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
    official = permissions.speaks_for_agency(account, organisation)
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


def _screen_persona(user: User, persona: Persona, *, edited: bool) -> ScreenResult:
    """A public name and profile are content too: moderation screening may hold them."""
    # Imported here: moderation's actions import these (notify, account reveals).
    from community.moderation.actions.holds import content_screen

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
