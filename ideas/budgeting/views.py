"""Participatory budgeting pages for residents: processes, a process, a budget with its
projects, a project, proposing one, the ballot, and the results.

Thin: parse, call an action, turn its refusal into a message or a form error. Every page is
ordinary HTML forms (no JavaScript needed: the knapsack's running total and the live turnout
are enhancements); a ballot is post/redirect/get to its confirmation page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from community.formerrors import apply_validation_error
from ideas.budgeting import actions, permissions, selectors, selectors_web
from ideas.budgeting.actions.delivery import winners_deliver
from ideas.budgeting.events import turnout_data
from ideas.budgeting.explain import money
from ideas.budgeting.forms import BallotForm, ProposalForm, VerifyForm
from ideas.budgeting.models import BallotKind, Budget, BudgetProcess, Channel, ReviewState


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You cannot do that.")


def _process(request: HttpRequest, slug: str) -> BudgetProcess:
    process = selectors_web.process_by_slug(slug)
    if process is None or not permissions.can_view_process(request.user, process):
        raise Http404
    return process


def _budget(request: HttpRequest, slug: str, pk: int) -> Budget:
    budget = selectors_web.budget_in(_process(request, slug), pk)
    if budget is None:
        raise Http404
    return budget


def process_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "budgeting/process_list.html", {"processes": list(selectors_web.processes())}
    )


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    return render(
        request,
        "budgeting/process_detail.html",
        {
            "process": process,
            "budgets": selectors_web.budgets_of(process),
            "voter": selectors_web.voter_of(request.user, process),
        },
    )


def budget_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    budget = _budget(request, slug, pk)
    process = budget.process
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "number")
    q = request.GET.get("q", "").strip()[:100]
    projects = selectors_web.filtered_projects(budget, state=state, sort=sort, q=q)
    return render(
        request,
        "budgeting/budget_detail.html",
        {
            "process": process,
            "budget": budget,
            "projects": projects,
            "filters": {"state": state, "sort": sort, "q": q},
            "states": [c for c in ReviewState.choices if c[0] != ReviewState.SUBMITTED],
            "turnout": turnout_data(selectors.turnout(budget)),
            "voting": process.is_voting_at(),
        },
    )


def project_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    process = _process(request, slug)
    project = selectors_web.project_by_number(process, number)
    if project is None or not permissions.can_view_project(request.user, project):
        raise Http404
    return render(
        request,
        "budgeting/project_detail.html",
        {"process": process, "project": project, "budget": project.budget},
    )


def propose(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = permissions.why_not_propose(request.user, process)
    form = ProposalForm(request.POST or None, user=request.user, budgets=process.budgets.all())
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            project = actions.project_propose(
                user=request.user,
                persona=data["persona"],
                budget=data["budget"],
                title=data["title"],
                description=data["description"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
        else:
            if project.screening.held:
                messages.info(request, project.screening.message)
            else:
                messages.success(
                    request,
                    _("Your project is number %(n)d. The agency reviews its cost and feasibility.")
                    % {"n": project.number},
                )
            return redirect(project)
    return render(
        request,
        "budgeting/propose.html",
        {"process": process, "form": form, "refusal": refusal},
        status=400 if form.errors else 200,
    )


def _ballot_context(request: HttpRequest, budget: Budget, form: BallotForm) -> dict:
    process = budget.process
    return {
        "process": process,
        "budget": budget,
        "form": form,
        "refusal": permissions.why_not_vote(request.user, budget),
        "budget_money": money(budget.amount),
        "is_checkboxes": budget.ballot_kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK),
    }


def ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    budget = _budget(request, slug, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    voter = selectors_web.voter_of(request.user, budget.process)
    current = selectors_web.ballot_of(voter, budget)
    projects = selectors_web.ballot_projects(budget)
    form = BallotForm(
        request.POST or None,
        budget=budget,
        projects=projects,
        current=current.choices if current else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.ballot_cast(
                user=request.user, budget=budget, choices=form.choices(), channel=Channel.WEB
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _refusal(exc))
        else:
            return redirect(reverse("budgeting:ballot_saved", args=[slug, budget.pk]))
    context = _ballot_context(request, budget, form) | {"current": current}
    return render(request, "budgeting/ballot.html", context, status=400 if form.errors else 200)


def ballot_saved(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    budget = _budget(request, slug, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    current = selectors_web.ballot_of(selectors_web.voter_of(request.user, budget.process), budget)
    if current is None:
        return redirect(reverse("budgeting:ballot", args=[slug, budget.pk]))
    chosen = {str(k): v for k, v in current.choices.items()}
    projects = [p for p in selectors_web.ballot_projects(budget) if str(p.number) in chosen]
    if budget.ballot_kind == BallotKind.RANKED:
        projects.sort(key=lambda p: chosen[str(p.number)])
    return render(
        request,
        "budgeting/ballot_saved.html",
        {
            "process": budget.process,
            "budget": budget,
            "ballot": current,
            "rows": [(p, chosen[str(p.number)]) for p in projects],
            "total": money(sum(p.cost or 0 for p in projects)),
        },
    )


def results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    budget = _budget(request, slug, pk)
    if not permissions.can_view_results(request.user, budget):
        raise Http404  # not published yet (its managers may check the count first)
    result = getattr(budget, "result", None)
    rows = selectors_web.result_rows(budget)
    return render(
        request,
        "budgeting/results.html",
        {
            "process": budget.process,
            "budget": budget,
            "result": result,
            "rows": rows,
            "winners": [r for r in rows if r.explanation.selected],
            "others": [r for r in rows if not r.explanation.selected],
            "spent": money(result.spent if result else 0),
            "amount": money(budget.amount),
        },
    )


@require_POST
def deliver(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    budget = _budget(request, slug, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("budgeting:results", args=[slug, pk]))
    try:
        items = winners_deliver(user=request.user, budget=budget)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d winning project is now on the roadmap; everyone who chose it hears back.",
                "%(n)d winning projects are now on the roadmap; everyone who chose them hears "
                "back.",
                len(items),
            )
            % {"n": len(items)},
        )
    return redirect(reverse("budgeting:results", args=[slug, pk]))


def verify(request: HttpRequest, slug: str) -> HttpResponse:
    """A signed-in resident proves who they are against the agency's register."""
    process = _process(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    voter = selectors_web.voter_of(request.user, process)
    form = VerifyForm(request.POST or None, process=process)
    refusal = (
        None if process.verify_by_register else _("This budget does not check residents online.")
    )
    if request.method == "POST" and refusal is None and voter is None and form.is_valid():
        try:
            actions.voter_verify_web(
                user=request.user, process=process, values=form.resident_fields()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("You are on the register and may vote."))
            return redirect(process)
    return render(
        request,
        "budgeting/verify.html",
        {"process": process, "form": form, "voter": voter, "refusal": refusal},
        status=400 if form.errors else 200,
    )
