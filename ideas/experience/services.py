"""Service-experience writes: answers from every channel, follow-up texts, themes into
challenges. Each is a check (permission, validation: a refused call writes nothing) then a do
(one transaction; the agency's live figures published after commit).

One answer per respondent per service per day counts: a second answer the same day is
**refused** with a message (the database's unique constraint decides, so two tabs racing
cannot both count); the first answer stands.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from community.actions import assisted_citizen, assisted_consent_check
from community.models import Organisation, User
from community.moderation.actions import content_screen
from community.participation.recorder import participant_key
from community.text import plain_text
from ideas import actions as idea_actions
from ideas.experience import catalogue, permissions, selectors, themes
from ideas.experience.catalogue import ServiceRef
from ideas.experience.conf import setting
from ideas.experience.events import FIGURES, experience_stream
from ideas.experience.models import BrandValueAnswer, Channel, Feedback, FollowUp, Theme
from ideas.models import Challenge
from realtime.events import publish

ALREADY_TODAY = gettext_noop(
    "You have already told us about this service today, thank you. Your first answer counts; "
    "you can answer again tomorrow."
)


def open_service(page_id: object) -> ServiceRef:
    """The live service a page is, or a ValidationError a person can act on."""
    ref = catalogue.service(page_id) if isinstance(page_id, int) else None
    if ref is None or not ref.live or ref.agency_id is None:
        raise ValidationError(
            _("This service is not taking feedback: it is closed or does not exist.")
        )
    return ref


def _check_answers(
    *,
    service: ServiceRef,
    channel: str,
    satisfaction: object,
    got_what_needed: bool | None,
    brand_values: Mapping[int, bool],
    comment: str,
) -> tuple[int, str]:
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose a channel from the list.")
    if (
        not isinstance(satisfaction, int)
        or isinstance(satisfaction, bool)
        or not (1 <= satisfaction <= 5)
    ):
        errors["satisfaction"] = _("Choose how satisfied you are, from 1 to 5.")
    if got_what_needed is None and channel != Channel.SMS:
        errors["got_what_needed"] = _("Say whether you got what you needed: yes or no.")
    unknown = [v for v in brand_values if service.brand_value(v) is None]
    if unknown:
        errors["brand_values"] = _("Answer only the questions about this service's promises.")
    text = plain_text(comment or "").strip()
    limit = setting("COMMENT_MAX")
    if len(text) > limit:
        errors["comment"] = _(
            "Your comment is too long: %(n)d characters. Please keep it under %(max)d."
        ) % {"n": len(text), "max": limit}
    if errors:
        raise ValidationError(errors)
    return int(satisfaction), text  # type: ignore[call-overload]


def publish_figures(agency_id: int, service_id: int) -> None:
    publish(
        stream=experience_stream(agency_id),
        type=FIGURES,
        object_id=agency_id,
        data={"service": service_id, "services": selectors.live_rows(agency_id)},
    )


def feedback_submit(
    *,
    service_page_id: object,
    channel: str,
    satisfaction: object,
    got_what_needed: bool | None,
    respondent: str,
    brand_values: Mapping[int, bool] | None = None,
    comment: str = "",
    account: User | None = None,
    recorded_by: User | None = None,
) -> Feedback:
    """Record one answer about a service; ValidationError (nothing written) for a closed or
    unknown service, out-of-range or missing answers, oversized text, or a second answer
    from the same ``respondent`` today. Free text is screened (held texts stay out of the
    themes until a moderator approves them) and grouped into a theme. Publishes
    ``experience.figures`` on the agency's stream after commit."""
    service = open_service(service_page_id)
    brand_values = dict(brand_values or {})
    satisfaction_value, text = _check_answers(
        service=service,
        channel=channel,
        satisfaction=satisfaction,
        got_what_needed=got_what_needed,
        brand_values=brand_values,
        comment=comment,
    )
    if not respondent:
        raise ValidationError(_("We could not tell who is answering. Please try again."))
    user = account if account is not None and account.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    service_page_id=service.id,
                    agency_id=service.agency_id,
                    channel=channel,
                    satisfaction=satisfaction_value,
                    got_what_needed=got_what_needed,
                    comment=text,
                    language=translation.get_language() or "",
                    respondent=respondent[:64],
                    account=user,
                    recorded_by=recorded_by,
                    day=timezone.localdate(),
                )
        except IntegrityError:
            raise ValidationError(_(ALREADY_TODAY)) from None
        BrandValueAnswer.objects.bulk_create(
            [
                BrandValueAnswer(
                    feedback=feedback,
                    brand_value_id=value_id,
                    statement=service.brand_value(value_id).statement[:120],  # type: ignore[union-attr]
                    kept=bool(kept),
                )
                for value_id, kept in sorted(brand_values.items())
            ]
        )
        if text:
            content_screen(
                user=user, obj=feedback, text=text, channel="sms" if channel == "sms" else "web"
            )
            feedback.refresh_from_db(fields=["is_hidden"])
            themes.theme_assign(feedback)
        publish_figures(service.agency_id, service.id)  # type: ignore[arg-type]
    return feedback


def web_respondent(request: HttpRequest) -> str:
    """The account's key when signed in, else the anonymous visitor's (insight's key).

    An anonymous visitor gets a session first, so the key does not change between their
    first answer (no cookie yet) and the next (the thank-you message starts a session)."""
    from ideas.insight.services import visitor_key

    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    anonymous = user is None or not user.is_authenticated
    if anonymous and session is not None and not session.session_key:
        session["experience_visitor"] = True  # modified: the response sets the cookie
        session.save()
    return visitor_key(request)


def _agency_of(service: ServiceRef) -> Organisation:
    if service.agency_id is None:  # open_service refuses these; kept for the type
        raise ValidationError(
            _("This service is not taking feedback: it is closed or does not exist.")
        )
    return Organisation.objects.get(pk=service.agency_id)


def counter_record(
    *,
    staff: User,
    service_page_id: object,
    satisfaction: object,
    got_what_needed: bool | None,
    brand_values: Mapping[int, bool] | None = None,
    comment: str = "",
    citizen_email: str = "",
) -> Feedback:
    """Counter staff record a citizen's answer. Without an email the citizen stays anonymous
    (each conversation at the counter is its own respondent); with one, the answer is the
    citizen's (their export holds it, and it is their one answer today)."""
    service = open_service(service_page_id)
    agency = _agency_of(service)
    if not permissions.can_record_counter_feedback(staff, agency):
        raise PermissionDenied(_("Only the agency's service counter staff can record answers."))
    citizen = None
    if (citizen_email or "").strip():
        citizen = assisted_citizen(helper=staff, organisation=agency, email=citizen_email)
    respondent = (
        participant_key(citizen.pk)
        if citizen is not None
        else salted_hmac("experience.counter", uuid.uuid4().hex, algorithm="sha256").hexdigest()[
            :32
        ]
    )
    return feedback_submit(
        service_page_id=service.id,
        channel=Channel.COUNTER,
        satisfaction=satisfaction,
        got_what_needed=got_what_needed,
        brand_values=brand_values,
        comment=comment,
        respondent=respondent,
        account=citizen,
        recorded_by=staff,
    )


def follow_up_send(
    *,
    staff: User,
    service_page_id: object,
    citizen_email: str,
    contact_channel: str,
    consent_given: bool,
    consent_method: str,
) -> FollowUp:
    """Text a citizen one question about a service after a counter or text-message contact
    they agreed to; they answer with a digit (:func:`follow_up_answer`). Refused without
    recorded consent, to a number that is not verified, or that texted STOP."""
    from community.sms.models import PhoneNumber
    from community.sms.services import language_of, text_queue

    service = open_service(service_page_id)
    agency = _agency_of(service)
    if not permissions.can_record_counter_feedback(staff, agency):
        raise PermissionDenied(_("Only the agency's service counter staff can record answers."))
    if contact_channel not in (Channel.COUNTER, Channel.SMS):
        raise ValidationError({"contact_channel": _("Choose how the citizen contacted you.")})
    citizen = assisted_citizen(helper=staff, organisation=agency, email=citizen_email)
    assisted_consent_check(consent_given=consent_given, consent_method=consent_method)
    phone = PhoneNumber.objects.filter(user=citizen, verified_at__isnull=False).first()
    if phone is None or phone.stopped_at is not None:
        raise ValidationError(
            {
                "citizen_email": _(
                    "This citizen has no confirmed mobile number that takes texts. Record "
                    "their answer here instead."
                )
            }
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            account=citizen,
            service_page_id=service.id,
            contact_channel=contact_channel,
            requested_by=staff,
        )
        with translation.override(language_of(citizen)):
            title = (catalogue.service(service.id) or service).title
            body = _(
                "How satisfied were you with “%(service)s”? Reply with one number: 1 very "
                "unhappy, 2, 3, 4, 5 very happy. Text STOP to end texts."
            ) % {"service": title}
        text_queue(
            number=phone.number, body=body, key=f"experience.follow-up:{follow_up.pk}", user=citizen
        )
    return follow_up


def follow_up_answer(*, user: User, digit: str) -> Feedback:
    """A citizen's digit answers their latest open follow-up text (sent in the last
    ``FOLLOW_UP_DAYS`` days and not yet answered)."""
    since = timezone.now() - timedelta(days=setting("FOLLOW_UP_DAYS"))
    follow_up = (
        FollowUp.objects.select_for_update()
        .filter(account=user, feedback__isnull=True, sent_at__gte=since)
        .order_by("-sent_at", "-pk")
        .first()
    )
    if follow_up is None:
        raise ValidationError(
            _("We have not asked you about a service lately, so there is nothing to answer.")
        )
    if not digit.isdigit() or not 1 <= int(digit) <= 5:
        raise ValidationError(_("Please reply with one number from 1 to 5."))
    with transaction.atomic():
        feedback = feedback_submit(
            service_page_id=follow_up.service_page_id,
            channel=Channel.SMS,
            satisfaction=int(digit),
            got_what_needed=None,
            respondent=participant_key(user.pk),
            account=user,
        )
        follow_up.feedback = feedback
        follow_up.save(update_fields=["feedback"])
    return feedback


def theme_promote(*, user: User, theme: Theme, question: str) -> Challenge:
    """Turn a theme into a challenge on its service, linked both ways (``theme.challenge``,
    ``challenge.feedback_themes``). The agency's service designers and admins only; once."""
    if not permissions.can_promote_theme(user, theme):
        raise PermissionDenied(
            _("Only the agency's service designers and admins can start a challenge.")
        )
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        if theme.challenge_id is not None:
            raise ValidationError(_("This theme has already become a challenge."))
        comments = theme.feedback.filter(is_hidden=False).count()
        service = catalogue.service(theme.service_page_id)
        now = timezone.now()
        challenge = idea_actions.challenge_create(
            user=user,
            agency=theme.agency,
            question=question,
            opens_at=now,
            ideas_close_at=now + timedelta(days=28),
            closes_at=now + timedelta(days=42),
            background=_(
                "This challenge started from what people told us about “%(service)s”: "
                "%(n)d comments said something similar."
            )
            % {"service": service.title if service else "", "n": comments},
            service_pages=[theme.service_page_id],
        )
        theme.challenge = challenge
        theme.promoted_by = user
        theme.save(update_fields=["challenge", "promoted_by"])
    return challenge
