"""What the research app holds about a person: panel membership, invitations, survey answers.

Export: three sections. Erasure (account deletion): the panel membership and invitations are
deleted; survey responses are unlinked from the account and persona, their free text and
segments blanked, and the respondent key replaced, so the choice counts stay anonymous.
Consent withdrawn (here or on the privacy page): :func:`consent_changed` runs ``panel_forget``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from community.models import ConsentPurpose
from ideas.research.models import Invitation, PanelMember, SurveyResponse


def export_panel(user) -> list[dict[str, Any]]:
    return [
        {
            "consented_at": m.consented_at.isoformat(),
            "consent_version": m.consent_version,
            "withdrawn_at": m.withdrawn_at.isoformat() if m.withdrawn_at else None,
            "age_band": m.age_band,
            "area": m.area,
            "usage": m.usage,
        }
        for m in PanelMember.objects.filter(user=user)
    ]


def export_invitations(user) -> list[dict[str, Any]]:
    return [
        {
            "title": i.recruitment.title,
            "starts_at": i.recruitment.starts_at.isoformat(),
            "status": i.status,
            "invited_at": i.invited_at.isoformat(),
            "replied_at": i.replied_at.isoformat() if i.replied_at else None,
            "reminded_at": i.reminded_at.isoformat() if i.reminded_at else None,
        }
        for i in Invitation.objects.filter(user=user).select_related("recruitment").order_by("pk")
    ]


def export_survey_answers(user) -> list[dict[str, Any]]:
    return [
        {
            "survey": r.survey.title,
            "answered_at": r.created_at.isoformat(),
            "channel": r.channel,
            "answers": r.answers,
            "age_band": r.age_band,
            "area": r.area,
            "usage": r.usage,
            "consent_version": r.consent_version,
        }
        for r in SurveyResponse.objects.filter(account=user).select_related("survey").order_by("pk")
    ]


def erase(user) -> None:
    Invitation.objects.filter(user=user).delete()
    PanelMember.objects.filter(user=user).delete()
    for response in SurveyResponse.objects.filter(account=user).select_related("survey"):
        free = {q.key for q in response.survey.question_list() if q.kind == "free_text"}
        response.answers = {k: v for k, v in response.answers.items() if k not in free}
        response.save(update_fields=["answers"])
    SurveyResponse.objects.filter(account=user).update(
        account=None,
        persona=None,
        age_band="",
        area="",
        usage="",
        respondent=Concat(Value("erased:"), Cast("id", output_field=CharField())),
    )


def consent_changed(user, purpose: str, granted: bool) -> None:
    if purpose == ConsentPurpose.RESEARCH_INVITATIONS and not granted:
        from ideas.research.actions import panel_forget

        panel_forget(user)
