"""The privacy dashboard's "what you share for statistics" form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.participation import services
from community.participation.forms import SegmentForm


@login_required
@require_POST
def segments_update(request: HttpRequest) -> HttpResponse:
    form = SegmentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose from the lists, or “Prefer not to say”; nothing changed.")
        )
        return redirect("community:privacy")
    try:
        services.segment_profile_set(user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:privacy")
    messages.success(request, _("Saved. This is used only while you agree to insight statistics."))
    return redirect("community:privacy")


def segment_form_for(user) -> SegmentForm:
    profile = getattr(user, "segment_profile", None)
    initial = {"age_band": profile.age_band, "area": profile.area} if profile else {}
    return SegmentForm(initial=initial)
