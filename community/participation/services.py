"""Writes for the segments a citizen shares. Events are written by :mod:`.recorder`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from community.models import User
from community.participation.models import AgeBand, SegmentProfile, area_choices


def segment_profile_set(*, user: User, age_band: str = "", area: str = "") -> SegmentProfile:
    """Save what the citizen chooses to share (blank: not shared). Used only with consent."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to choose what you share."))
    errors = {}
    if age_band and age_band not in AgeBand.values:
        errors["age_band"] = _("Choose an age group from the list, or “Prefer not to say”.")
    if area and area not in dict(area_choices()):
        errors["area"] = _("Choose an area from the list, or “Prefer not to say”.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, _created = SegmentProfile.objects.select_for_update().get_or_create(user=user)
        profile.age_band, profile.area = age_band, area
        profile.save()
    return profile
