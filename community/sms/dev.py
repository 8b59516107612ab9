"""The development phone: try the text channel under ``make run`` without a real phone.

Only when ``DEBUG`` is on and the console gateway is in use; everywhere else every route here
answers 404 (checked on each request, so a production process can never serve it even if its
URL table was built otherwise). A text typed here is sent as a properly signed callback
through the same webhook view the provider calls (:func:`community.sms.views.inbound`), so it
meets the same signature check, replay rule and services; the conversation shows the texts
received from and queued for that number (:class:`TextMessage` rows: the console gateway's
outbox is per process, the rows are what every process shares).
"""

from __future__ import annotations

import json
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.sms.gateways import ConsoleGateway, conf
from community.sms.models import PhoneNumber, TextMessage
from community.sms.services import normalise_number

CONVERSATION_LENGTH = 50


def available() -> bool:
    """The page exists only in development with the console gateway and a signing secret."""
    return bool(settings.DEBUG and conf("PROVIDER") == "console" and conf("WEBHOOK_SECRET"))


class DevTextForm(PlainErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("From number"),
        max_length=30,
        help_text=_("A demo number below, or any number (unknown numbers get the sign-up reply)."),
        error_messages={"required": _("Type the number the text comes from.")},
    )
    body = forms.CharField(
        label=_("Message text"),
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example HELP, a challenge code and an idea, or YES and an idea number."),
        error_messages={
            "required": _("Type the text to send."),
            "max_length": _("Keep the text to %(limit_value)d characters or fewer."),
        },
    )

    def clean_number(self) -> str:
        try:
            return normalise_number(self.cleaned_data["number"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["number"]) from exc


def demo_numbers() -> list[dict]:
    """Confirmed numbers on this development site (the demo's), with whose they are."""
    rows = PhoneNumber.objects.filter(verified_at__isnull=False).select_related("user")
    return [
        {"number": p.number, "name": p.user.get_full_name() or p.user.email}
        for p in rows.order_by("number")[:20]
    ]


def conversation(number: str) -> list[TextMessage]:
    """The latest texts to and from ``number``, oldest first."""
    rows = TextMessage.objects.filter(number=number).order_by("-created_at", "-id")
    return list(reversed(rows[:CONVERSATION_LENGTH]))


def send_signed(*, number: str, body: str) -> HttpResponse:
    """Post one text to the inbound webhook exactly as the provider would: signed JSON."""
    payload = json.dumps({"id": f"dev-{uuid.uuid4().hex}", "from": number, "body": body}).encode()
    path = reverse("sms:inbound")
    request = RequestFactory().post(
        path,
        data=payload,
        content_type="application/json",
        HTTP_X_SMS_SIGNATURE=ConsoleGateway.sign(payload),
    )
    return resolve(path).func(request)


def phone(request: HttpRequest) -> HttpResponse:
    if not available():
        raise Http404
    number = request.GET.get("number", "")
    try:
        number = normalise_number(number) if number else ""
    except ValidationError:
        number = ""
    form = DevTextForm(request.POST or None, initial={"number": number})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            number = form.cleaned_data["number"]
            response = send_signed(number=number, body=form.cleaned_data["body"])
            if response.status_code < 300:
                target = reverse("sms_dev:phone") + "?" + urlencode({"number": number})
                return redirect(target + "#conversation")
            form.add_error(
                None,
                _("The webhook refused the text (HTTP %(status)d): see the server log.")
                % {"status": response.status_code},
            )
        status = 400
    return render(
        request,
        "sms/dev_phone.html",
        {
            "form": form,
            "number": number,
            "numbers": demo_numbers(),
            "messages_": conversation(number) if number else [],
            "from_number": conf("FROM_NUMBER"),
        },
        status=status,
    )
