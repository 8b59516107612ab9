"""Survey questions as plain data, and the rules answers follow (no database here).

The page shows every question at once and validates on the server (no JavaScript needed): a
conditional question is shown with "answer only if …", and when its condition is not met its
answer is dropped and it is not required. A condition refers to an *earlier* question, so one
pass in order decides which questions apply.

Answers are stored as ``{key: value}``: the option text for a choice, a list of option texts
for multiple choice, an int for a scale, the text for free text. Unanswered questions are
absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from community.text import plain_text

FREE_TEXT_MAX = 1000
KINDS = ("choice", "multiple_choice", "scale", "free_text")


@dataclass(frozen=True)
class Question:
    kind: str
    key: str
    text: str
    required: bool = True
    options: tuple[str, ...] = ()
    low: int = 1
    high: int = 5
    low_label: str = ""
    high_label: str = ""
    only_if_question: str = ""
    only_if_answer: str = ""
    number: int = 0

    @property
    def conditional(self) -> bool:
        return bool(self.only_if_question)

    @property
    def scale_points(self) -> list[int]:
        return list(range(self.low, self.high + 1))

    @property
    def digit_answerable(self) -> bool:
        """Answerable by one number in a text message."""
        if self.kind == "choice":
            return 1 <= len(self.options) <= 9
        return self.kind == "scale" and self.low >= 0 and self.high <= 9


@dataclass
class Outcome:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def questions_from_stream(stream: Iterable[Any]) -> list[Question]:
    """Questions from a StreamField value (blocks with ``block_type`` and ``value``)."""
    out = []
    for number, block in enumerate(stream, start=1):
        v = block.value
        kwargs: dict[str, Any] = {
            "kind": block.block_type,
            "key": v.get("key", ""),
            "text": v.get("text", ""),
            "required": bool(v.get("required", True)),
            "only_if_question": (v.get("only_if_question") or "").strip(),
            "only_if_answer": (v.get("only_if_answer") or "").strip(),
            "number": number,
        }
        if block.block_type in ("choice", "multiple_choice"):
            kwargs["options"] = tuple(str(o) for o in v.get("options", []) if str(o).strip())
        if block.block_type == "scale":
            kwargs.update(
                low=int(v.get("low", 1)),
                high=int(v.get("high", 5)),
                low_label=v.get("low_label", ""),
                high_label=v.get("high_label", ""),
            )
        out.append(Question(**kwargs))
    return out


def definition_errors(questions: list[Question]) -> list[str]:
    """What is wrong with a survey's questions (the page's ``clean()`` shows these)."""
    errors: list[str] = []
    seen: dict[str, Question] = {}
    for q in questions:
        if q.key in seen:
            errors.append(_("Two questions have the key “%(key)s”.") % {"key": q.key})
        if q.kind == "scale" and q.low >= q.high:
            errors.append(
                _("Question “%(key)s”: the lowest must be below the highest.") % {"key": q.key}
            )
        if q.only_if_question:
            earlier = seen.get(q.only_if_question)
            if earlier is None:
                errors.append(
                    _(
                        "Question “%(key)s” depends on “%(other)s”, which is not an earlier question."
                    )
                    % {"key": q.key, "other": q.only_if_question}
                )
            elif earlier.kind == "free_text":
                errors.append(
                    _("Question “%(key)s” cannot depend on a free-text question.") % {"key": q.key}
                )
            elif not _is_possible_answer(earlier, q.only_if_answer):
                errors.append(
                    _("Question “%(key)s”: “%(answer)s” is not an answer to “%(other)s”.")
                    % {"key": q.key, "answer": q.only_if_answer, "other": earlier.key}
                )
        seen[q.key] = q
    return errors


def _is_possible_answer(q: Question, answer: str) -> bool:
    if q.kind == "scale":
        return answer.isdigit() and int(answer) in q.scale_points
    return answer in q.options


def applies(q: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``q`` is asked, given the answers to earlier questions."""
    if not q.only_if_question:
        return True
    given = answers.get(q.only_if_question)
    if given is None:
        return False
    if isinstance(given, list):
        return q.only_if_answer in given
    return str(given) == q.only_if_answer


def _one(q: Question, raw: list[str]) -> tuple[Any, str | None]:
    values = [v.strip() for v in raw if v is not None and v.strip()]
    if q.kind == "multiple_choice":
        unknown = [v for v in values if v not in q.options]
        if unknown:
            return None, _("Choose from the options given.")
        return ([o for o in q.options if o in values] or None), None
    value = values[0] if values else ""
    if not value:
        return None, None
    if q.kind == "choice":
        if value not in q.options:
            return None, _("Choose one of the options given.")
        return value, None
    if q.kind == "scale":
        if not value.lstrip("-").isdigit() or int(value) not in q.scale_points:
            return None, _("Choose a number from %(low)d to %(high)d.") % {
                "low": q.low,
                "high": q.high,
            }
        return int(value), None
    text = plain_text(value)
    if len(text) > FREE_TEXT_MAX:
        return None, _("Please keep it under %(n)d characters.") % {"n": FREE_TEXT_MAX}
    return text or None, None


def clean_answers(questions: list[Question], raw: Mapping[str, list[str]]) -> Outcome:
    """Check every applicable question's answer; answers to questions that do not apply are
    dropped. ``raw`` maps each key to the submitted values (a form's ``getlist``)."""
    outcome = Outcome()
    for q in questions:
        if not applies(q, outcome.answers):
            continue
        value, error = _one(q, list(raw.get(q.key, [])))
        if error:
            outcome.errors[q.key] = error
        elif value is None:
            if q.required:
                outcome.errors[q.key] = _("Please answer this question.")
        else:
            outcome.answers[q.key] = value
    return outcome


def free_text_of(questions: list[Question], answers: Mapping[str, Any]) -> str:
    """The free-text answers joined, for screening and moderation."""
    return "\n".join(
        str(answers[q.key]) for q in questions if q.kind == "free_text" and answers.get(q.key)
    )
