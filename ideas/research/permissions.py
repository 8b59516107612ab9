"""Who may do what with surveys and the research panel.

* ``research.read_survey_results`` (:func:`can_read_results`): staff of the survey's agency
  (and superusers) — suppressed counts, free text, the CSV.
* ``research.recruit_panel`` (:func:`can_recruit`): the agency's service designers (and its
  admins). Designers see counts and the replies of invitees who accepted, never the panel.
* ``research.read_recruitment`` (:func:`can_read_recruitment`): the same, for one request.
* ``research.join_panel`` (:func:`can_join_panel`): any signed-in person who may contribute.
* ``research.report_survey_response`` (:func:`can_report_response`): the people who may see
  a response's free text: those who read the results (and its author).
"""

from __future__ import annotations

import rules

from community.models import Organisation
from community.permissions import can_contribute, can_design, is_staff_of
from community.types import AnyUser
from ideas.research.models import Recruitment, SurveyPage, SurveyResponse


@rules.predicate
def can_read_results(user: AnyUser, survey: SurveyPage) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or is_staff_of(user, survey.agency_id)


@rules.predicate
def can_recruit(user: AnyUser, agency: Organisation | int | None) -> bool:
    return can_design(user, agency)


@rules.predicate
def can_read_recruitment(user: AnyUser, recruitment: Recruitment) -> bool:
    return can_design(user, recruitment.agency_id)


@rules.predicate
def can_join_panel(user: AnyUser) -> bool:
    return can_contribute(user)


@rules.predicate
def can_report_response(user: AnyUser, response: SurveyResponse) -> bool:
    """Those who read the results may report an answer; its author sees it (in their export),
    so is asked too, and then told they cannot report their own."""
    if getattr(user, "is_authenticated", False) and response.account_id == user.pk:
        return True
    return can_read_results(user, response.survey)


rules.add_perm("research.read_survey_results", can_read_results)
rules.add_perm("research.recruit_panel", can_recruit)
rules.add_perm("research.read_recruitment", can_read_recruitment)
rules.add_perm("research.join_panel", can_join_panel)
rules.add_perm("research.report_survey_response", can_report_response)
