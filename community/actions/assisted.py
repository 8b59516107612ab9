"""Assisted digital: counter staff and volunteers taking part for a citizen, with consent."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from community import permissions
from community.models import AssistedContribution, Organisation, Persona, User

CONSENT_TEXT: dict[str, str] = {
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
