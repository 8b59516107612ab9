"""Pages: a survey (served by its Wagtail page), results for staff, the panel, recruitment,
and the signed invitation link. Thin: parse, call an action, show its message."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from community import ratelimits
from community.formerrors import apply_validation_error
from community.models import Organisation
from community.ratelimits import rate_limit
from community.spreadsheets import writer
from ideas.insight.services import visitor_key
from ideas.research import actions, permissions, selectors
from ideas.research.actions.panel import panel_consent_text
from ideas.research.actions.surveys import already_answered_message, closed_message
from ideas.research.forms import PanelForm, RecruitmentForm, SurveyForm
from ideas.research.models import SurveyPage, SurveyResponse


def survey_serve(request: HttpRequest, page: SurveyPage) -> HttpResponse:
    """GET: the questions (or why they cannot be answered). POST: answer, then PRG."""
    respondent = visitor_key(request)
    answered = SurveyResponse.objects.filter(survey=page, respondent=respondent).exists()
    refusal = ""
    if not page.is_open():
        refusal = closed_message(page)
    elif answered:
        refusal = already_answered_message()
    form = SurveyForm(request.POST or None, survey=page)
    status = 200
    if request.method == "POST":
        retry_after = ratelimits.check(request, "write")
        if retry_after is not None:
            return ratelimits.rate_limited(request, retry_after)
        try:
            actions.survey_answer(
                survey=page,
                user=request.user if request.user.is_authenticated else None,
                respondent=respondent,
                answers=form.raw_answers(),
                consent=request.POST.get("consent") == "on",
                segments=form.segments(),
            )
        except ValidationError as exc:
            form.is_valid()
            apply_validation_error(form, exc)
            status = 400
            if not hasattr(exc, "error_dict"):
                refusal = exc.messages[0]
        except PermissionDenied as exc:
            refusal, status = str(exc), 403
        else:
            messages.success(request, _("Thank you. Your answers were saved."))
            return redirect(page.url + "?answered=1")
    return TemplateResponse(
        request,
        page.get_template(request),
        {
            "page": page,
            "self": page,
            "form": form,
            "refusal": refusal,
            "thanked": request.GET.get("answered") == "1" and answered,
        },
        status=status,
    )


def _survey_for_staff(request: HttpRequest, pk: int) -> SurveyPage:
    survey = get_object_or_404(SurveyPage.objects.select_related("agency"), pk=pk)
    if not permissions.can_read_results(request.user, survey):
        raise Http404
    return survey


def survey_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    surveys = [
        s
        for s in selectors.surveys_for(request.user)
        if permissions.can_read_results(request.user, s)
    ]
    return render(request, "research/survey_list.html", {"surveys": surveys})


def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = _survey_for_staff(request, pk)
    total, results = selectors.survey_results(survey)
    return render(
        request,
        "research/survey_results.html",
        {
            "survey": survey,
            "total": total,
            "results": results,
            "segments": selectors.segment_results(survey),
        },
    )


def survey_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    survey = _survey_for_staff(request, pk)
    total, results = selectors.survey_results(survey)
    out = io.StringIO()
    w = writer(out)
    w.writerow(["question", "text", "kind", "answered", "option", "count", "average"])
    for r in results:
        q = r.question
        if q.kind == "free_text":
            for text in r.texts:
                w.writerow([q.key, q.text, q.kind, r.answered, "", "", ""])
                w.writerow(["", "", "", "", text, "", ""])
            if not r.texts:
                w.writerow([q.key, q.text, q.kind, r.answered, "", "", ""])
            continue
        for row in r.rows:
            w.writerow([q.key, q.text, q.kind, r.answered, row.label, row.cell.display, r.average])
    w.writerow(["", _("Responses"), "", total, "", "", ""])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response


@rate_limit("write")
def panel(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = selectors.panel_member(request.user)
    active = member is not None and selectors.in_panel(request.user)
    initial = {}
    if active and member is not None:
        initial = {"age_band": member.age_band, "area": member.area, "usage": member.usage}
    form = PanelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.panel_join(
                user=request.user,
                consent=data["consent"],
                age_band=data["age_band"],
                area=data["area"],
                usage=data["usage"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Your choices were saved.") if active else _("You joined the research panel."),
            )
            return redirect("research:panel")
    return render(
        request,
        "research/panel.html",
        {"form": form, "member": member, "active": active, "consent_text": panel_consent_text()},
        status=400 if form.errors else 200,
    )


@require_POST
def panel_leave(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("research:panel"))
    actions.panel_withdraw(user=request.user)
    messages.success(
        request,
        _(
            "You left the research panel. You will not be invited again, and pending invitations were cancelled."
        ),
    )
    return redirect("research:panel")


def recruitment_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agencies = [
        a
        for a in Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
        if permissions.can_recruit(request.user, a)
    ]
    if not agencies:
        raise Http404
    recruitments = list(selectors.recruitments_for(request.user)[:100])
    return render(
        request,
        "research/recruitment_list.html",
        {"recruitments": recruitments, "agencies": agencies},
    )


def recruitment_create(request: HttpRequest, agency: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    org = get_object_or_404(Organisation, slug=agency, kind=Organisation.Kind.AGENCY)
    if not permissions.can_recruit(request.user, org):
        raise Http404
    initial = {}
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        initial["session"] = int(session_id)
    form = RecruitmentForm(request.POST or None, agency=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recruitment = actions.recruitment_create(
                user=request.user,
                agency=org,
                kind=data["kind"],
                session=data["session"],
                title=data["title"],
                details=data["details"],
                starts_at=data["starts_at"],
                wanted=data["wanted"],
                balance_by=data["balance_by"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            summary = selectors.recruitment_summary(recruitment)
            messages.success(
                request,
                ngettext(
                    "%(n)d panel member was invited.",
                    "%(n)d panel members were invited.",
                    summary.invited,
                )
                % {"n": summary.invited},
            )
            return redirect("research:recruitment", pk=recruitment.pk)
    return render(
        request,
        "research/recruitment_form.html",
        {"form": form, "agency": org},
        status=400 if form.errors else 200,
    )


def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    from ideas.research.models import Recruitment

    recruitment = get_object_or_404(Recruitment.objects.select_related("agency", "session"), pk=pk)
    if not permissions.can_read_recruitment(request.user, recruitment):
        raise Http404
    return render(
        request,
        "research/recruitment_detail.html",
        {"summary": selectors.recruitment_summary(recruitment), "recruitment": recruitment},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link in an invitation: the token is the authority, no sign-in needed."""
    found = actions.invitation_from_token(token)
    if found is None:
        raise Http404
    error = ""
    if request.method == "POST":
        choice = request.POST.get("reply", "")
        if choice not in ("accept", "decline"):
            error = _("Choose yes or no.")
        else:
            try:
                found = actions.invitation_reply(invitation=found, accept=choice == "accept")
            except (ValidationError, PermissionDenied) as exc:
                error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            else:
                return redirect("research:invitation", token=token)
    return render(
        request,
        "research/invitation.html",
        {"invitation": found, "recruitment": found.recruitment, "error": error},
        status=400 if error else 200,
    )
