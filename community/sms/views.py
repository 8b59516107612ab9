"""The provider webhook (no session, no CSRF: the signature is the check) and the phone page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.formerrors import apply_validation_error
from community.sms import services
from community.sms.forms import CodeForm, PhoneForm, TextPreferencesForm
from community.sms.gateways import gateway
from community.sms.models import PhoneNumber
from realtime.inputguard import input_guard_exempt

logger = logging.getLogger(__name__)
MAX_CALLBACK_BYTES = 16_384


@csrf_exempt
@input_guard_exempt  # refused characters are answered by text (services.inbound_handle)
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    """An incoming text from the provider. Unsigned or badly signed: 403 and nothing done.

    A replayed callback (same provider message id) is acknowledged and changes nothing.
    """
    if len(request.body) > MAX_CALLBACK_BYTES:
        return HttpResponse(status=413)
    provider = gateway()
    reason = provider.refusal(request)
    if reason:
        logger.warning("sms callback refused: %s", reason)
        return HttpResponse(status=403)
    text = provider.parse(request)
    if text is None:
        return HttpResponse(status=400)
    services.inbound_handle(inbound=text)
    return provider.acknowledge()


@login_required
def phone(request: HttpRequest) -> HttpResponse:
    current = PhoneNumber.objects.filter(user=request.user).first()
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_add(user=request.user, number=form.cleaned_data["number"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("We texted you a code. Type it below to confirm."))
            return redirect("sms:phone")
    return render(
        request,
        "sms/phone.html",
        {
            "phone": current,
            "form": form,
            "code_form": CodeForm(),
            "preferences_form": TextPreferencesForm(
                initial={"notify_by_text": bool(current and current.notify_by_text)}
            ),
        },
    )


@login_required
@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    current = PhoneNumber.objects.filter(user=request.user).first()
    if form.is_valid():
        try:
            services.phone_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your number is confirmed. You can now text us."))
            return redirect("sms:phone")
    return render(
        request,
        "sms/phone.html",
        {
            "phone": current,
            "form": PhoneForm(),
            "code_form": form,
            "preferences_form": TextPreferencesForm(),
        },
        status=400,
    )


@login_required
@require_POST
def phone_preferences(request: HttpRequest) -> HttpResponse:
    form = TextPreferencesForm(request.POST)
    form.is_valid()
    try:
        services.phone_preferences_set(
            user=request.user, notify_by_text=bool(form.cleaned_data.get("notify_by_text"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your text settings are saved."))
    return redirect("sms:phone")


@login_required
@require_POST
def phone_remove(request: HttpRequest) -> HttpResponse:
    services.phone_remove(user=request.user)
    messages.success(request, _("Your number is removed. We will not text you again."))
    return redirect("sms:phone")
