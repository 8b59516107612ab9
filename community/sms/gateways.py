"""The provider-neutral gateway: how texts arrive (webhook) and leave (API call).

``settings.SMS["PROVIDER"]`` picks the adapter: ``console`` (default: logs outgoing texts
and keeps them in :data:`outbox`; signs inbound callbacks with ``SMS["WEBHOOK_SECRET"]``) or
``twilio`` (Twilio's form-encoded webhook, ``X-Twilio-Signature`` HMAC-SHA1 check and its
Messages API). Add a provider by subclassing :class:`Gateway` and listing it in
:data:`PROVIDERS`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PROVIDER": "console",
    "ACCOUNT_ID": "",
    "AUTH_TOKEN": "",
    "FROM_NUMBER": "",
    "WEBHOOK_SECRET": "",
    "COUNTRY_CODE": "44",
    "TIMEOUT": 10,
}


def conf(key: str):
    return getattr(settings, "SMS", {}).get(key, DEFAULTS[key])


@dataclass(frozen=True)
class Inbound:
    """A text as the provider reported it."""

    provider_id: str
    sender: str
    body: str


class GatewayError(Exception):
    """The provider refused or could not be reached; the message stays queued or failed."""


class Gateway:
    name = "base"

    def verify(self, request: HttpRequest) -> bool:
        """Is this callback really from the provider? Unsigned or badly signed → False."""
        return not self.refusal(request)

    def refusal(self, request: HttpRequest) -> str:
        """Why this callback cannot be trusted, for the operator's log ("" when it can).

        The reason names what to set, because "bad or missing signature" alone sent people
        looking in the wrong place: most refusals in development are a secret never set.
        """
        raise NotImplementedError

    def parse(self, request: HttpRequest) -> Inbound | None:
        """The text in the callback, or None if the callback is not an incoming text."""
        raise NotImplementedError

    def send(self, *, to: str, body: str) -> str:
        """Send one text; returns the provider's message id. Raises GatewayError."""
        raise NotImplementedError

    def acknowledge(self) -> HttpResponse:
        """What the provider expects back once the callback is handled."""
        return HttpResponse(status=204)


outbox: list[dict] = []
"""Texts the console gateway "sent" in this process (tests read it, like ``mail.outbox``)."""


class ConsoleGateway(Gateway):
    """For development and tests: texts are logged, callbacks signed with a shared secret.

    Callback: POST JSON ``{"id", "from", "body"}`` with header
    ``X-Sms-Signature: sha256=<hex HMAC-SHA256 of the raw body with SMS["WEBHOOK_SECRET"]>``.
    """

    name = "console"
    HEADER = "HTTP_X_SMS_SIGNATURE"

    @staticmethod
    def sign(body: bytes, secret: str | None = None) -> str:
        key = (secret if secret is not None else conf("WEBHOOK_SECRET")).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    def refusal(self, request: HttpRequest) -> str:
        secret = conf("WEBHOOK_SECRET")
        given = request.META.get(self.HEADER, "")
        if not secret:
            return (
                "SMS_WEBHOOK_SECRET is not set, so no callback can be verified: set it, or run "
                "with DJANGO_DEBUG=true and use the development phone page at /dev/phone/"
            )
        if not given:
            return "the X-Sms-Signature header is missing (sha256=<HMAC of the body>)"
        if not hmac.compare_digest(given, self.sign(request.body, secret)):
            return (
                "the X-Sms-Signature does not match the body: sign it with SMS_WEBHOOK_SECRET "
                "(HMAC-SHA256 of the raw body, hex, prefixed sha256=)"
            )
        return ""

    def parse(self, request: HttpRequest) -> Inbound | None:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) and data.get(k) for k in ("id", "from")
        ):
            return None
        return Inbound(data["id"], data["from"], str(data.get("body") or ""))

    def send(self, *, to: str, body: str) -> str:
        message_id = f"console-{len(outbox) + 1}"
        outbox.append({"id": message_id, "to": to, "body": body})
        logger.info("text to %s: %s", to[-3:], body)
        return message_id


class TwilioGateway(Gateway):
    """Twilio: form-encoded callbacks signed with ``X-Twilio-Signature``; Messages API.

    Signature (Twilio's documented scheme): base64 of HMAC-SHA1, keyed with the auth token,
    over the full callback URL followed by every POST parameter name and value, sorted by
    name. The URL is ``SITE_URL`` + the request path, so it matches what Twilio was given
    even behind a proxy.
    """

    name = "twilio"
    HEADER = "HTTP_X_TWILIO_SIGNATURE"
    API = "https://api.twilio.com/2010-04-01/Accounts/{account}/Messages.json"

    @staticmethod
    def signature(url: str, params: dict[str, list[str]] | dict[str, str], token: str) -> str:
        payload = url
        for name in sorted(params):
            values = params[name]
            for value in values if isinstance(values, list) else [values]:
                payload += name + value
        digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()

    def _url(self, request: HttpRequest) -> str:
        return settings.SITE_URL.rstrip("/") + request.get_full_path()

    def refusal(self, request: HttpRequest) -> str:
        token = conf("AUTH_TOKEN")
        given = request.META.get(self.HEADER, "")
        if not token:
            return "SMS_AUTH_TOKEN is not set, so Twilio's signature cannot be checked: set it"
        if not given:
            return "the X-Twilio-Signature header is missing"
        params = {key: request.POST.getlist(key) for key in request.POST}
        if not hmac.compare_digest(given, self.signature(self._url(request), params, token)):
            return (
                "the X-Twilio-Signature does not match: check SMS_AUTH_TOKEN and that SITE_URL "
                "is the address Twilio calls"
            )
        return ""

    def parse(self, request: HttpRequest) -> Inbound | None:
        sid = request.POST.get("MessageSid") or request.POST.get("SmsSid")
        sender = request.POST.get("From")
        if not sid or not sender or "Body" not in request.POST:
            return None  # e.g. a delivery-status callback: not an incoming text
        return Inbound(sid, sender, request.POST.get("Body", ""))

    def send(self, *, to: str, body: str) -> str:
        account, token = conf("ACCOUNT_ID"), conf("AUTH_TOKEN")
        if not account or not token or not conf("FROM_NUMBER"):
            raise GatewayError("SMS_ACCOUNT_ID, SMS_AUTH_TOKEN and SMS_FROM_NUMBER are needed")
        data = urllib.parse.urlencode({"To": to, "From": conf("FROM_NUMBER"), "Body": body})
        request = urllib.request.Request(  # noqa: S310 - fixed https URL
            self.API.format(account=urllib.parse.quote(account)),
            data=data.encode(),
            method="POST",
            headers={
                "Authorization": "Basic "
                + base64.b64encode(f"{account}:{token}".encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=conf("TIMEOUT")) as response:  # noqa: S310
                payload = json.loads(response.read() or b"{}")
        except (OSError, ValueError) as exc:
            raise GatewayError(str(exc)[:200]) from exc
        if not payload.get("sid"):
            raise GatewayError("no message id in the provider's answer")
        return payload["sid"]

    def acknowledge(self) -> HttpResponse:
        # Replies go out through the Messages API (one delivery path), so the TwiML is empty.
        return HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
            content_type="text/xml",
        )


PROVIDERS: dict[str, type[Gateway]] = {"console": ConsoleGateway, "twilio": TwilioGateway}


def gateway() -> Gateway:
    return PROVIDERS[conf("PROVIDER")]()
