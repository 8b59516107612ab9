"""Free-text survey answers in moderation (registered in ``ResearchConfig.ready``).

Answers are never public: they are private content (``private=True``) that only the staff who
read the survey's results see and may report. Screening holds a response whose free text
trips a rule; a held or hidden response still counts in the figures, but its text is left
out of the results page and the CSV until a moderator approves it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community.moderation.registry import register_reportable
from ideas.research.models import SurveyResponse


def _text(response: SurveyResponse) -> str:
    from ideas.research.surveys import free_text_of

    return free_text_of(response.survey.question_list(), response.answers)


def register() -> None:
    from ideas.research.permissions import can_report_response

    register_reportable(
        SurveyResponse,
        kind_label=_("Survey answer"),
        author=lambda r: r.persona,
        agency=lambda r: r.survey.agency,
        text=_text,
        context=lambda r: str(_("Answer to the survey “%(title)s”") % {"title": r.survey.title}),
        url=lambda r: reverse("research:survey_results", args=[r.survey_id]),
        on_hide=lambda r, reason: SurveyResponse.objects.filter(pk=r.pk).update(is_hidden=True),
        on_publish=lambda r: SurveyResponse.objects.filter(pk=r.pk).update(is_hidden=False),
        private=True,
        can_report=can_report_response,
    )
