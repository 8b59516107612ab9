"""Reads for surveys and the panel: eligibility, results with suppression, designer counts.

Designers never get a list of panel members: :func:`recruitment_summary` returns counts by
reply and the names of invitees who accepted (they chose to take part), nothing else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from community.models import Consent, ConsentPurpose, User
from ideas.insight.suppression import Cell, suppress
from ideas.research.models import Invitation, PanelMember, Recruitment, SurveyPage, SurveyResponse
from ideas.research.surveys import Question


def _consenting() -> Exists:
    return Exists(
        Consent.objects.filter(
            user=OuterRef("user"), purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=True
        )
    )


def active_panel() -> QuerySet[PanelMember]:
    """Members who may be sampled: not withdrawn, consent in force, account active."""
    return PanelMember.objects.filter(withdrawn_at__isnull=True, user__is_active=True).filter(
        _consenting()
    )


def in_panel(user: User) -> bool:
    return active_panel().filter(user=user).exists()


def panel_member(user: User) -> PanelMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PanelMember.objects.filter(user=user).first()


def eligible_panel(
    recruitment: Recruitment, *, exclude_user_id: int | None = None
) -> list[tuple[int, str]]:
    """(user id, stratum) of members who may be invited to ``recruitment``."""
    field = recruitment.balance_by
    qs = active_panel().exclude(user__research_invitations__recruitment=recruitment)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    return list(qs.values_list("user_id", field))


@dataclass
class RecruitmentSummary:
    recruitment: Recruitment
    invited: int
    accepted: int
    declined: int
    waiting: int
    cancelled: int
    reminded: int
    accepted_names: list[str]


def recruitment_summary(recruitment: Recruitment) -> RecruitmentSummary:
    S = Invitation.Status
    counts = recruitment.invitations.aggregate(
        invited=Count("id"),
        accepted=Count("id", filter=Q(status=S.ACCEPTED)),
        declined=Count("id", filter=Q(status=S.DECLINED)),
        waiting=Count("id", filter=Q(status=S.INVITED)),
        cancelled=Count("id", filter=Q(status=S.CANCELLED)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
    )
    accepted_users = list(
        recruitment.invitations.filter(status=S.ACCEPTED)
        .order_by("replied_at", "pk")
        .values_list("user_id", flat=True)
    )
    from community.models import Persona

    names = dict(
        Persona.objects.filter(account_id__in=accepted_users, is_primary=True).values_list(
            "account_id", "display_name"
        )
    )
    return RecruitmentSummary(
        recruitment=recruitment,
        accepted_names=[names.get(uid, "—") for uid in accepted_users],
        **counts,
    )


def recruitments_for(user: User) -> QuerySet[Recruitment]:
    from community.models import Membership, Role

    agencies = Membership.objects.filter(
        user=user, role__in=[Role.SERVICE_DESIGNER, Role.AGENCY_ADMIN]
    ).values("organisation_id")
    qs = Recruitment.objects.select_related("agency", "session")
    return qs if user.is_superuser else qs.filter(agency_id__in=agencies)


# -- survey results --------------------------------------------------------------------------


@dataclass
class OptionRow:
    label: str
    cell: Cell


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[OptionRow]
    texts: list[str]
    average: float | None = None


def visible_responses(survey: SurveyPage) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(survey=survey).order_by("created_at", "pk")


def survey_results(survey: SurveyPage) -> tuple[int, list[QuestionResult]]:
    """Per question: how many answered, counts per option (or scale point) with small-cell
    suppression (:mod:`ideas.insight.suppression`; the total answered is shown, so one hidden
    cell hides another), the scale average when at least ``MIN_CELL`` answered, and free text
    not hidden by moderation. One query."""
    from ideas.insight.conf import setting

    rows = list(visible_responses(survey).values_list("answers", "is_hidden"))
    results = []
    for q in survey.question_list():
        given = [a[q.key] for a, _hidden in rows if q.key in a]
        if q.kind == "free_text":
            texts = [a[q.key] for a, hidden in rows if q.key in a and not hidden]
            results.append(QuestionResult(q, len(given), [], texts))
            continue
        counter: Counter[str] = Counter()
        for value in given:
            for item in value if isinstance(value, list) else [value]:
                counter[str(item)] += 1
        labels = [str(p) for p in q.scale_points] if q.kind == "scale" else list(q.options)
        cells = suppress([counter[label] for label in labels])
        average = None
        if q.kind == "scale" and len(given) >= setting("MIN_CELL"):
            average = round(sum(int(v) for v in given) / len(given), 2)
        results.append(
            QuestionResult(
                q,
                len(given),
                [OptionRow(label, c) for label, c in zip(labels, cells, strict=True)],
                [],
                average,
            )
        )
    return len(rows), results


def segment_results(survey: SurveyPage) -> dict[str, list[tuple[str, Cell]]]:
    """Respondents by each segment the survey asked (suppressed; "not shared" included)."""
    from community.participation.models import AgeBand, area_choices
    from ideas.research.models import Usage

    out: dict[str, list[tuple[str, Cell]]] = {}
    asked: list[tuple[str, str, list[tuple[str, Any]]]] = []
    if survey.ask_age_band:
        asked.append(("age_band", "age_band", list(AgeBand.choices)))
    if survey.ask_area:
        asked.append(("area", "area", area_choices()))
    if survey.ask_usage:
        asked.append(("usage", "usage", list(Usage.choices)))
    for name, field, choices in asked:
        counts = dict(
            visible_responses(survey)
            .values_list(field)
            .annotate(n=Count("id"))
            .values_list(field, "n")
        )
        labels = [(k, str(v)) for k, v in choices] + [("", "")]
        cells = suppress([counts.get(k, 0) for k, _label in labels])
        out[name] = [(label, cell) for (_k, label), cell in zip(labels, cells, strict=True)]
    return out


def surveys_for(user: User) -> QuerySet[SurveyPage]:
    from community.models import Membership

    qs = SurveyPage.objects.select_related("agency").order_by("-closes_at")
    if user.is_superuser:
        return qs
    return qs.filter(agency_id__in=Membership.objects.filter(user=user).values("organisation_id"))
