"""Joining and leaving the research panel.

Membership rides on the account's ``research_invitations`` consent (community's consent
record, shown and withdrawable on the privacy page): joining gives it, and withdrawing it —
here or on the privacy page — runs :func:`panel_forget` through the consent listener, which
takes the person out of every future sample and cancels their pending invitations in the
same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions import consent_set
from community.models import ConsentPurpose, User
from community.participation.models import AgeBand, area_choices
from community.permissions import ensure_may_contribute
from ideas.research import permissions
from ideas.research.models import Invitation, PanelMember, Usage, consent_version


def panel_consent_text() -> str:
    """The wording people agree to when they join (its fingerprint is stored)."""
    return _(
        "I agree that service designers may invite me to co-design sessions and user research. "
        "They see my reply to an invitation, never the panel list. The segments I share are "
        "used only to choose a balanced group. I can leave the panel at any time."
    )


def panel_join(
    *, user: User, consent: bool, age_band: str = "", area: str = "", usage: str = ""
) -> PanelMember:
    """Join (or update the segments shared with) the panel; records consent time and text."""
    if not permissions.can_join_panel(user):
        raise PermissionDenied(_("Sign in to join the research panel."))
    ensure_may_contribute(user)
    if not consent:
        raise ValidationError({"consent": _("Please tick the box to agree before joining.")})
    errors = {}
    if age_band and age_band not in AgeBand.values:
        errors["age_band"] = _("Choose from the list, or leave it empty.")
    if area and area not in [k for k, _label in area_choices()]:
        errors["area"] = _("Choose from the list, or leave it empty.")
    if usage and usage not in Usage.values:
        errors["usage"] = _("Choose from the list, or leave it empty.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent_set(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=True)
        member, _created = PanelMember.objects.select_for_update().get_or_create(
            user=user, defaults={"consent_version": consent_version(panel_consent_text())}
        )
        if member.withdrawn_at is not None or _created:
            member.consented_at = timezone.now()
            member.consent_version = consent_version(panel_consent_text())
        member.withdrawn_at = None
        member.age_band, member.area, member.usage = age_band, area, usage
        member.save()
    return member


def panel_withdraw(*, user: User) -> None:
    """Leave the panel: withdraws the research consent (see the module docstring)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to manage your consents."))
    consent_set(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=False)
    panel_forget(user)  # also when the consent was already withdrawn


def panel_forget(user: User) -> int:
    """Mark the member withdrawn, blank their segments and cancel pending invitations
    (returns how many were cancelled). Called inside the consent change's transaction."""
    now = timezone.now()
    PanelMember.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=now, age_band="", area="", usage=""
    )
    return Invitation.objects.filter(user=user, status=Invitation.Status.INVITED).update(
        status=Invitation.Status.CANCELLED, replied_at=now
    )
