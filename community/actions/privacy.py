"""Consents, and the citizen-visible log of staff looking at accounts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import (
    AccountAccess,
    Consent,
    ConsentPurpose,
    Organisation,
    Persona,
    Role,
    User,
)
from community.text import plain_text


def consent_set(*, user: User, purpose: str, granted: bool) -> Consent:
    """Give or withdraw consent for ``purpose``; the time of each change is kept."""
    if not permissions.can_contribute(user):
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
        from community.privacy import consent_listeners

        for listener in consent_listeners():
            listener(user, purpose, granted)
    return consent


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
