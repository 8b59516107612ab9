"""Answering a survey (web and text message)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import User
from community.participation.models import AgeBand, area_choices
from community.permissions import ensure_may_contribute
from community.selectors import primary_persona
from ideas.research.models import Channel, SurveyPage, SurveyResponse, Usage, consent_version
from ideas.research.surveys import clean_answers, free_text_of


def already_answered_message() -> str:
    return _(
        "You have already answered this survey. Your first answers stand; nothing was changed."
    )


def closed_message(survey: SurveyPage) -> str:
    if timezone.now() < survey.opens_at:
        return _("This survey is not open yet. Nothing was saved.")
    return _("This survey has closed. Nothing was saved.")


def _segments(survey: SurveyPage, segments: Mapping[str, str]) -> dict[str, str]:
    """The segment answers the survey asks for; each optional, each checked."""
    asked = {
        "age_band": (survey.ask_age_band, AgeBand.values),
        "area": (survey.ask_area, [k for k, _label in area_choices()]),
        "usage": (survey.ask_usage, Usage.values),
    }
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, (is_asked, allowed) in asked.items():
        value = (segments.get(name) or "").strip()
        if not is_asked or not value:
            continue
        if value not in allowed:
            errors[name] = _("Choose from the list, or leave it empty.")
        else:
            out[name] = value
    if errors:
        raise ValidationError(errors)
    return out


def survey_answer(
    *,
    survey: SurveyPage,
    user: User | None,
    respondent: str,
    answers: Mapping[str, list[str]],
    consent: bool,
    segments: Mapping[str, str] | None = None,
    channel: str = Channel.WEB,
) -> SurveyResponse:
    """Record one person's answers, once.

    ``respondent`` is the keyed hash of who answers (the account's participant key, or the
    browser's visitor key for people not signed in). Refused with a message and nothing
    written when: the survey is not open, consent is not given, an answer is invalid or a
    required one missing (a ValidationError keyed by question), or this respondent already
    answered (the unique constraint decides under concurrency). Free text is screened; a held
    response is counted but its text is hidden until a moderator approves it.
    """
    if not survey.live or not survey.is_open():
        raise ValidationError(closed_message(survey))
    if user is not None:
        ensure_may_contribute(user)
    if not consent:
        raise ValidationError({"consent": _("Please tick the box to agree before sending.")})
    outcome = clean_answers(survey.question_list(), answers)
    if outcome.errors:
        raise ValidationError(outcome.errors)
    shared = _segments(survey, segments or {})
    if SurveyResponse.objects.filter(survey=survey, respondent=respondent).exists():
        raise ValidationError(already_answered_message())
    text = free_text_of(survey.question_list(), outcome.answers)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                respondent=respondent,
                account=user,
                persona=primary_persona(user) if user is not None else None,
                channel=channel,
                answers=outcome.answers,
                consent_version=consent_version(survey.consent_text),
                **shared,
            )
            if text:
                from community.moderation.actions import content_screen

                content_screen(user=user, obj=response, text=text, channel=channel)
    except IntegrityError:
        raise ValidationError(already_answered_message()) from None
    return response
