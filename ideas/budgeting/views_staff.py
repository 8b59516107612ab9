"""Staff screens of a budget process: the review queue, reviewing and merging a project, and
the counter (verify a resident with consent, enter a paper ballot, confirm another staff
member's paper ballot). Thin, like :mod:`ideas.budgeting.views`; every decision is the
actions' and :mod:`ideas.budgeting.permissions`'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.formerrors import apply_validation_error
from community.models import User
from ideas.budgeting import actions, permissions, selectors, selectors_web
from ideas.budgeting.forms import (
    CounterVerifyForm,
    MergeForm,
    PaperBallotForm,
    PaperConfirmForm,
    ReviewForm,
)
from ideas.budgeting.models import Ballot, BudgetProcess, Channel, Project, ReviewState
from ideas.budgeting.views import _refusal


def _staff_process(request: HttpRequest, slug: str, allowed) -> BudgetProcess:  # type: ignore[no-untyped-def]
    process = selectors_web.process_by_slug(slug)
    if process is None or not allowed(request.user, process):
        raise Http404
    return process


def _login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _staff_process(request, slug, permissions.can_manage_process)
    projects = list(
        Project.objects.filter(process=process)
        .select_related("budget", "proposer")
        .order_by("review_state", "number")
    )
    waiting = [p for p in projects if p.review_state == ReviewState.SUBMITTED]
    done = [p for p in projects if p.review_state != ReviewState.SUBMITTED]
    return render(
        request,
        "budgeting/review_list.html",
        {
            "process": process,
            "waiting": waiting,
            "done": done,
            "refusal": permissions.why_not_review(request.user, process),
        },
    )


def _project(request: HttpRequest, slug: str, number: int) -> Project:
    process = _staff_process(request, slug, permissions.can_manage_process)
    project = selectors_web.project_by_number(process, number)
    if project is None:
        raise Http404
    return project


def _others(project: Project):  # type: ignore[no-untyped-def]
    return (
        Project.objects.filter(budget=project.budget)
        .exclude(pk=project.pk)
        .exclude(review_state__in=[ReviewState.MERGED, ReviewState.REJECTED])
    )


def project_review(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    project = _project(request, slug, number)
    initial = {
        "cost": project.cost,
        "feasibility": project.feasibility,
        "rejection_reason": project.rejection_reason,
        "decision": project.review_state
        if project.review_state in (ReviewState.FEASIBLE, ReviewState.REJECTED)
        else None,
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.project_review(
                user=request.user,
                project=project,
                feasible=data["decision"] == ReviewState.FEASIBLE,
                cost=data["cost"],
                feasibility=data["feasibility"],
                rejection_reason=data["rejection_reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("Project %(n)d is reviewed.") % {"n": project.number})
            return redirect(reverse("budgeting:review", args=[slug]))
    return render(
        request,
        "budgeting/project_review.html",
        {
            "process": project.process,
            "project": project,
            "form": form,
            "merge_form": MergeForm(others=_others(project)),
            "refusal": permissions.why_not_review(request.user, project),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def project_merge(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    project = _project(request, slug, number)
    form = MergeForm(request.POST, others=_others(project))
    if form.is_valid():
        try:
            actions.project_merge(
                user=request.user, project=project, into=form.cleaned_data["into"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(
                request,
                _("Project %(n)d is merged into project %(into)d.")
                % {"n": project.number, "into": form.cleaned_data["into"].number},
            )
            return redirect(reverse("budgeting:review", args=[slug]))
    else:
        messages.error(request, _("Choose the project to merge it into."))
    return redirect(reverse("budgeting:project_review", args=[slug, number]))


def _verify_at_counter(request: HttpRequest, process: BudgetProcess, form, *, citizen: User | None):  # type: ignore[no-untyped-def]
    """The voter the resident in front of the counter is (verified now, with their consent,
    or found again: the action returns the existing voter for the same details)."""
    data = form.cleaned_data
    return actions.voter_verify_counter(
        staff=request.user,
        process=process,
        consent_given=data["consent"],
        consent_method=data["consent_method"],
        values=form.resident_fields(),
        document=data.get("document", ""),
        birth_year=data.get("birth_year"),
        citizen=citizen,
    )


def _counter_context(request: HttpRequest, process: BudgetProcess, **forms) -> dict:  # type: ignore[no-untyped-def]
    pending = [
        (ballot, PaperConfirmForm(ballot=ballot, auto_id=f"confirm-{ballot.pk}-%s"))
        for ballot in selectors.pending_paper_ballots(process)
    ]
    return {
        "process": process,
        "verify_form": forms.get("verify_form") or CounterVerifyForm(process=process),
        "paper_form": forms.get("paper_form") or PaperBallotForm(process=process),
        "pending": pending,
        "verify_refusal": permissions.why_not_verify_voter(request.user, process),
        "paper_refusal": permissions.why_not_enter_paper(request.user, process),
    }


def _counter_process(request: HttpRequest, slug: str) -> BudgetProcess:
    process = selectors_web.process_by_slug(slug)
    if process is None or not permissions.counter_staff(request.user, process):
        raise Http404
    return process


def counter(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _counter_process(request, slug)
    return render(request, "budgeting/counter.html", _counter_context(request, process))


@require_POST
def counter_verify(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _counter_process(request, slug)
    form = CounterVerifyForm(request.POST, process=process)
    if form.is_valid():
        data = form.cleaned_data
        account = None
        if data["citizen_email"]:
            account = User.objects.filter(
                email__iexact=data["citizen_email"], is_active=True
            ).first()
            if account is None:
                form.add_error("citizen_email", _("No account uses that email address."))
        if not form.errors:
            try:
                _verify_at_counter(request, process, form, citizen=account)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(request, _("The resident is verified and may vote."))
                return redirect(reverse("budgeting:counter", args=[slug]))
    context = _counter_context(request, process, verify_form=form)
    return render(request, "budgeting/counter.html", context, status=400)


@require_POST
def paper_enter(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _counter_process(request, slug)
    form = PaperBallotForm(request.POST, process=process)
    if form.is_valid():
        data = form.cleaned_data
        try:
            voter = _verify_at_counter(request, process, form, citizen=None)
            actions.paper_ballot_enter(
                staff=request.user, budget=data["budget"], voter=voter, choices=data["choices"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(
                request,
                _(
                    "The paper ballot is entered. It counts once another member of staff confirms it."
                ),
            )
            return redirect(reverse("budgeting:counter", args=[slug]))
    context = _counter_context(request, process, paper_form=form)
    return render(request, "budgeting/counter.html", context, status=400)


@require_POST
def paper_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _counter_process(request, slug)
    ballot = (
        Ballot.objects.select_related("budget__process__agency")
        .filter(pk=pk, budget__process=process, channel=Channel.PAPER)
        .first()
    )
    if ballot is None:
        raise Http404
    form = PaperConfirmForm(request.POST, ballot=ballot)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("choices_text", [])))
        return redirect(reverse("budgeting:counter", args=[slug]))
    try:
        actions.paper_ballot_confirm(
            staff=request.user, ballot=ballot, choices=form.cleaned_data["choices"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("The paper ballot is confirmed and counts."))
    return redirect(reverse("budgeting:counter", args=[slug]))


def _managed(request: HttpRequest, slug: str) -> BudgetProcess:
    return _staff_process(request, slug, permissions.can_manage_process)


def _done(request: HttpRequest, call, success: str) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, success)


@require_POST
def close_voting(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _managed(request, slug)
    _done(
        request,
        lambda: actions.voting_close_early(user=request.user, process=process),
        _("Voting is closed. Count each budget, then publish the results."),
    )
    return redirect(process)


@require_POST
def count(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _managed(request, slug)
    budget = selectors_web.budget_in(process, pk)
    if budget is None:
        raise Http404
    _done(
        request,
        lambda: actions.results_compute(user=request.user, budget=budget),
        _("“%(budget)s” is counted. Check the results, then publish them.")
        % {"budget": budget.name},
    )
    return redirect(reverse("budgeting:results", args=[slug, pk]))


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    process = _managed(request, slug)
    _done(
        request,
        lambda: actions.results_publish(user=request.user, process=process),
        _("The results are public."),
    )
    return redirect(process)
