"""Every write about phone numbers and texts. The webhook view and the pages call these.

Replies and notices are queued as outbound :class:`TextMessage` rows and sent by the
``send_text`` background task after commit, never inside the provider's callback.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community.models import User
from community.sms import commands
from community.sms.gateways import Inbound, conf
from community.sms.models import BlockedNumber, PhoneNumber, TextMessage
from realtime import inputguard

CODE_LIFETIME = timedelta(minutes=15)
CODE_ATTEMPTS = 5
CODE_RESEND_SECONDS = 60
TEXT_MAX = 320
"""The longest text we read as one idea (two text messages' worth). Longer texts are refused."""

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR"})
START_WORDS = frozenset({"START", "UNSTOP", "YES START", "INICIO"})
HELP_WORDS = frozenset({"HELP", "INFO", "AYUDA"})

_SEPARATORS = re.compile(r"[\s().\-/]")


def normalise_number(raw: str) -> str:
    """The number in E.164 form (``+447700900123``), or ValidationError saying what to fix.

    National numbers (starting with one 0) get ``SMS["COUNTRY_CODE"]``; ``00`` means ``+``.
    """
    text = _SEPARATORS.sub("", raw or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+" + str(conf("COUNTRY_CODE")) + text[1:]
    if not re.fullmatch(r"\+[1-9]\d{7,14}", text):
        raise ValidationError(
            {
                "number": _(
                    "That does not look like a mobile number. Type it with the area code, "
                    "like 07700 900123 or +44 7700 900123."
                )
            }
        )
    return text


def _code_hash(number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


def language_of(user: User | None) -> str:
    return (
        (getattr(user, "language", "") or settings.LANGUAGE_CODE)
        if user
        else settings.LANGUAGE_CODE
    )


# -- outbound ----------------------------------------------------------------------------


def text_queue(
    *, number: str, body: str, key: str = "", user: User | None = None, force: bool = False
) -> TextMessage | None:
    """Queue one text to ``number``; the task sends it after commit.

    Nothing is queued to a number that texted STOP (unless ``force``: the one confirmation
    of STOP itself). A ``key`` makes the text once-only: queuing the same key again returns
    None and sends nothing.
    """
    from community.sms.tasks import send_text

    if not force:
        stopped = PhoneNumber.objects.filter(number=number, stopped_at__isnull=False).exists()
        if stopped:
            return None
    try:
        with transaction.atomic():
            message = TextMessage.objects.create(
                direction=TextMessage.Direction.OUT,
                number=number,
                user=user,
                body=body[:1600],
                key=key,
                state=TextMessage.State.QUEUED,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: send_text.enqueue(message_id=message.pk))
    return message


# -- numbers -----------------------------------------------------------------------------


def phone_add(*, user: User, number: str) -> PhoneNumber:
    """Set (or change) the account's mobile number and text it a six-digit code.

    The number is unverified until :func:`phone_verify`. A number verified by another
    account is refused; an unverified claim by someone else is replaced.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to add a mobile number."))
    number = normalise_number(number)
    if BlockedNumber.objects.filter(number=number).exists():
        raise ValidationError(
            {"number": _("This number cannot be used here. Please contact us for help.")}
        )
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        other = PhoneNumber.objects.select_for_update().filter(number=number).exclude(user=user)
        other_row = other.first()
        if other_row is not None:
            if other_row.is_verified:
                raise ValidationError(
                    {
                        "number": _(
                            "This number is already linked to another account. Use a different "
                            "number, or remove it from the other account first."
                        )
                    }
                )
            other_row.delete()
        phone = PhoneNumber.objects.select_for_update().filter(user=user).first()
        if (
            phone is not None
            and phone.number == number
            and phone.code_sent_at
            and (now - phone.code_sent_at).total_seconds() < CODE_RESEND_SECONDS
        ):
            raise ValidationError(
                {"number": _("We just sent you a code. Wait a minute before asking again.")}
            )
        if phone is None:
            phone = PhoneNumber(user=user)
        if phone.number != number:
            phone.verified_at = None
            phone.stopped_at = None
        phone.number = number
        phone.code_hash = _code_hash(number, code)
        phone.code_sent_at = now
        phone.code_attempts = 0
        phone.save()
        with translation.override(language_of(user)):
            body = _(
                "Your %(site)s code is %(code)s. Type it on the website within 15 minutes. "
                "If you did not ask for it, ignore this text."
            ) % {"site": settings.WAGTAIL_SITE_NAME, "code": code}
        text_queue(number=number, body=body, user=user, force=True)
    return phone


def phone_verify(*, user: User, code: str) -> PhoneNumber:
    """Confirm the number with the code we texted (five tries, fifteen minutes)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to confirm your number."))
    code = re.sub(r"\D", "", code or "")
    with transaction.atomic():
        phone = PhoneNumber.objects.select_for_update().filter(user=user).first()
        if phone is None or not phone.code_hash:
            raise ValidationError({"code": _("Add your mobile number first.")})
        if phone.is_verified:
            return phone
        expired = phone.code_sent_at is None or timezone.now() - phone.code_sent_at > CODE_LIFETIME
        if expired or phone.code_attempts >= CODE_ATTEMPTS:
            raise ValidationError(
                {"code": _("This code no longer works. Ask for a new code and try again.")}
            )
        right = hmac.compare_digest(phone.code_hash, _code_hash(phone.number, code))
        if right:
            phone.verified_at = timezone.now()
            phone.code_hash = ""
            phone.save(update_fields=["verified_at", "code_hash"])
        else:
            # Counted (and committed) before refusing, so guesses are limited.
            phone.code_attempts += 1
            phone.save(update_fields=["code_attempts"])
    if not right:
        raise ValidationError(
            {"code": _("That code is not right. Check the text we sent and type it again.")}
        )
    return phone


def phone_preferences_set(*, user: User, notify_by_text: bool) -> PhoneNumber:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your preferences."))
    with transaction.atomic():
        phone = PhoneNumber.objects.select_for_update().filter(user=user).first()
        if phone is None or not phone.is_verified:
            raise ValidationError(_("Add and confirm your mobile number first."))
        phone.notify_by_text = notify_by_text
        phone.save(update_fields=["notify_by_text"])
    return phone


def phone_remove(*, user: User) -> None:
    """Forget the number (texts from it are then refused as from an unknown number)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your number."))
    with transaction.atomic():
        PhoneNumber.objects.filter(user=user).delete()


# -- inbound -----------------------------------------------------------------------------


def _link(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name)


def inbound_handle(*, inbound: Inbound) -> TextMessage | None:
    """Handle one incoming text; returns the reply queued, or None.

    A callback seen before (same provider message id) changes nothing and returns None.
    STOP / START / HELP are answered here; anything else goes to a registered command, only
    for a verified, unblocked, active number. Nothing is posted when the number is unknown,
    unverified, blocked or stopped, or when the command refuses.
    """
    if inputguard.refused_character(inbound.sender + inbound.provider_id) is not None:
        return None  # not a number or message id a provider sends: nothing to answer
    try:
        number = normalise_number(inbound.sender)
    except ValidationError:
        number = ""
    body = " ".join((inbound.body or "").split())
    with transaction.atomic():
        phone = (
            PhoneNumber.objects.select_related("user").filter(number=number).first()
            if number
            else None
        )
        user = phone.user if phone is not None else None
        try:
            with transaction.atomic():
                TextMessage.objects.create(
                    direction=TextMessage.Direction.IN,
                    number=number or inbound.sender[:16],
                    user=user,
                    body=inputguard.without_refused(body)[:1600],
                    provider_id=inbound.provider_id[:64],
                    state=TextMessage.State.RECEIVED,
                )
        except IntegrityError:
            return None  # replayed callback: already handled once
        if not number:
            return None
        with translation.override(language_of(user)):
            reply, force = _answer(phone, number, body)
        if not reply:
            return None
        key = f"reply:{inbound.provider_id}"[:100]
        return text_queue(number=number, body=reply, user=user, key=key, force=force)


def _answer(phone: PhoneNumber | None, number: str, body: str) -> tuple[str, bool]:
    """(reply, send even when stopped). Runs in the sender's language."""
    word = body.upper().strip(" .!")
    site = settings.WAGTAIL_SITE_NAME
    if BlockedNumber.objects.filter(number=number).exists():
        return "", False
    if word in STOP_WORDS:
        if phone is not None:
            PhoneNumber.objects.filter(pk=phone.pk).update(stopped_at=timezone.now())
        return (
            _("You will get no more texts from %(site)s. Text START to get them again.")
            % {"site": site},
            True,
        )
    if word in START_WORDS:
        if phone is not None:
            PhoneNumber.objects.filter(pk=phone.pk).update(stopped_at=None)
        PhoneNumber.objects.filter(number=number).update(stopped_at=None)
        return _("Welcome back. You will get texts from %(site)s again.") % {"site": site}, False
    if phone is not None and phone.stopped_at is not None:
        return "", False  # they asked for no texts: nothing is posted and nothing is sent
    if word in HELP_WORDS:
        return (
            _(
                "To send an idea, text the challenge code, a space and your idea. To support "
                "idea 12, text YES 12. Text STOP to end texts. More: %(link)s"
            )
            % {"link": _link("sms:phone")},
            False,
        )
    if phone is None or not phone.is_verified:
        return (
            _(
                "We do not know this number yet. Add it to your account at %(link)s and "
                "confirm it, then text again."
            )
            % {"link": _link("sms:phone")},
            False,
        )
    if not phone.user.is_active:
        return "", False
    if inputguard.refused_character(body) is not None:
        return (
            _(
                "Your text has a character we cannot read (a control character or a broken "
                "one). Nothing was posted. Please send it again without it."
            ),
            False,
        )
    if len(body) > TEXT_MAX:
        return (
            _(
                "Your text is too long: %(n)d characters. Please keep it under %(max)d "
                "characters and send it again."
            )
            % {"n": len(body), "max": TEXT_MAX},
            False,
        )
    if not body:
        return _("Your text was empty. Text HELP to see what you can send."), False
    keyword, _space, rest = body.partition(" ")
    handler = commands.handler_for(keyword)
    if handler is None:
        return _("We could not understand your text. Text HELP to see what you can send."), False
    command = commands.Command(user=phone.user, keyword=keyword, rest=rest.strip(), text=body)
    try:
        with transaction.atomic():
            return handler(command), False
    except (PermissionDenied, ValidationError) as exc:
        return _refusal(exc), False


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        messages = [str(m) for m in exc.messages]
    else:
        messages = [str(exc)] if str(exc) else []
    return " ".join(messages) or _("We could not do that. Text HELP to see what you can send.")
