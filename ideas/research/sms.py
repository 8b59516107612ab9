"""Short surveys by text message (registered in ``ResearchConfig.ready``).

* ``SURVEY <code>`` replies with the questions, numbered, each with its options as digits.
* ``SURVEY <code> 2 4 1`` answers: one number per question, in order, for the questions that
  apply (a conditional question takes a number only when its condition is met by the
  numbers before it). Sending the answers is agreeing to the survey's consent text, which the
  first reply points to. Free-text questions are skipped by text (so a survey with a required
  free-text question is web-only).

Everything goes through :func:`ideas.research.actions.survey_answer` as on the website:
closed, answered twice or an invalid number is answered with what to do and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from community.participation.recorder import participant_key
from community.sms.commands import Command, register_command
from ideas.research import actions
from ideas.research.actions.surveys import closed_message
from ideas.research.models import Channel, SurveyPage
from ideas.research.surveys import Question, applies

EXAMPLE = "SURVEY BUS 1 4"


def _find(code: str) -> SurveyPage | None:
    return SurveyPage.objects.live().filter(sms_code__iexact=code).first()


def text_questions(survey: SurveyPage) -> list[Question] | None:
    """The questions asked by text, or None when a required one needs the website."""
    out = []
    for q in survey.question_list():
        if q.digit_answerable:
            out.append(q)
        elif q.required:
            return None
    return out


def _choices(q: Question) -> str:
    if q.kind == "scale":
        ends = f" ({q.low}={q.low_label}, {q.high}={q.high_label})" if q.low_label else ""
        return f"{q.low}-{q.high}{ends}"
    return ", ".join(f"{n}={o}" for n, o in enumerate(q.options, start=1))


def _listing(survey: SurveyPage, questions: list[Question], code: str) -> str:
    lines = [f"{survey.title}:"]
    for n, q in enumerate(questions, start=1):
        condition = ""
        if q.conditional:
            condition = " " + _("(only if %(key)s was %(answer)s)") % {
                "key": q.only_if_question,
                "answer": q.only_if_answer,
            }
        lines.append(f"Q{n} {q.text}{condition} {_choices(q)}")
    lines.append(
        _(
            "Reply SURVEY %(code)s and one number per question. Answering means you agree to "
            "how answers are used: %(url)s"
        )
        % {"code": code, "url": survey.url or ""}
    )
    return "\n".join(lines)


def _to_answers(questions: list[Question], digits: list[str]) -> dict[str, list[str]] | str:
    raw: dict[str, list[str]] = {}
    given: dict[str, object] = {}
    queue = list(digits)
    for q in questions:
        if not applies(q, given):
            continue
        if not queue:
            break
        digit = queue.pop(0)
        if not digit.isdigit():
            return _("Please send numbers only, like this: %(example)s") % {"example": EXAMPLE}
        if q.kind == "choice":
            n = int(digit)
            if not 1 <= n <= len(q.options):
                return _("Question %(q)d takes a number from 1 to %(n)d. Nothing was saved.") % {
                    "q": questions.index(q) + 1,
                    "n": len(q.options),
                }
            raw[q.key] = [q.options[n - 1]]
            given[q.key] = q.options[n - 1]
        else:
            raw[q.key] = [digit]
            given[q.key] = digit
    if queue:
        return _("You sent more numbers than there are questions. Nothing was saved.")
    return raw


def survey_by_text(command: Command) -> str:
    parts = command.rest.split()
    if not parts:
        return _("Please text SURVEY and the survey's code, like this: SURVEY BUS")
    code = parts[0][:12].upper()
    survey = _find(code)
    if survey is None:
        return _("We do not know the survey %(code)s. Check the code and try again.") % {
            "code": code
        }
    if not survey.is_open():
        return closed_message(survey)
    questions = text_questions(survey)
    if questions is None:
        return _("This survey can only be answered on the website: %(url)s") % {
            "url": survey.url or ""
        }
    if len(parts) == 1:
        return _listing(survey, questions, code)
    answers = _to_answers(questions, parts[1:])
    if isinstance(answers, str):
        return answers
    try:
        actions.survey_answer(
            survey=survey,
            user=command.user,
            respondent=participant_key(command.user.pk),
            answers=answers,
            consent=True,
            channel=Channel.SMS,
        )
    except (PermissionDenied, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            if hasattr(exc, "error_dict"):
                return _("Some answers are missing or not valid (%(keys)s). Nothing was saved.") % {
                    "keys": ", ".join(
                        f"Q{n}" for n, q in enumerate(questions, start=1) if q.key in exc.error_dict
                    )
                    or "-"
                }
            return exc.messages[0]
        return str(exc)
    return _("Thank you: your answers to “%(title)s” were saved (%(when)s).") % {
        "title": survey.title,
        "when": timezone.localtime().strftime("%H:%M"),
    }


def register() -> None:
    register_command("SURVEY", survey_by_text)
