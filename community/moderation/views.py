"""Thin views: the staff queue and item page, reporting, appeals and the public figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions
from community.formerrors import apply_validation_error
from community.moderation import actions, selectors
from community.moderation import permissions as moderation_permissions
from community.moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    ReportForm,
    RevealForm,
)
from community.moderation.models import Appeal, ModerationAction, ModerationCase, Reason
from community.moderation.registry import reportable, reportables
from community.ratelimits import rate_limit

QUEUE_PAGE_SIZE = 25


def _staff_only(request: HttpRequest) -> None:
    if not permissions.can_moderate(request.user, None):
        raise PermissionDenied(_("The moderation queue is for moderators."))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    kind = request.GET.get("kind", "")
    reason = request.GET.get("reason", "")
    age = request.GET.get("age", "")
    cases = selectors.queue(user=request.user, kind=kind, reason=reason, older_than=age)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    for case in page.object_list:
        case.waited = now - case.opened_at
        entry = reportable(case.label)
        case.kind_label = entry.kind_label if entry else case.label
    return render(
        request,
        "moderation/queue.html",
        {
            "cases": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "kinds": [(e.label, e.kind_label) for e in reportables()],
            "reasons": Reason.choices,
            "filters": {"kind": kind, "reason": reason, "age": age},
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    try:
        case = selectors.case_detail(pk)
    except ModerationCase.DoesNotExist:
        raise Http404 from None
    form = DecisionForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.case_decide(
                moderator=request.user,
                case=case,
                version=data["version"],
                action=data["action"],
                reason=data["reason"],
                note=data["note"],
                text=data["text"],
                days=data["days"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("moderation:queue")
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("moderation:queue")
    if not permissions.can_moderate(request.user, case.agency_id):
        messages.error(
            request,
            _("This item belongs to %(agency)s: only its moderators can see it.")
            % {"agency": case.agency},
        )
        return redirect("moderation:queue")
    entry = reportable(case.label)
    obj = case.content
    return render(
        request,
        "moderation/case.html",
        {
            "case": case,
            "entry": entry,
            "context": entry.context(obj) if entry and obj else "",
            "url": entry.url(obj) if entry and obj else "",
            "text": entry.text(obj) if entry and obj else case.excerpt,
            "form": form,
            "reveal_form": RevealForm(),
            "history": selectors.actions_on_author(case),
            "actions": case.actions.select_related("actor").order_by("created_at"),
            "waited": timezone.now() - case.opened_at,
        },
    )


@login_required
@require_POST
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    case = selectors.case_detail(pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need to look at this account."))
        return redirect("moderation:case", pk=pk)
    try:
        account = actions.case_reveal_account(
            moderator=request.user, case=case, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("moderation:case", pk=pk)
    if account is None:
        messages.info(request, _("This persona's account was deleted."))
    else:
        messages.info(
            request,
            _("Account: %(email)s (joined %(joined)s). This look is logged.")
            % {"email": account.email or account.username, "joined": account.date_joined.date()},
        )
    return redirect("moderation:case", pk=pk)


@login_required
@rate_limit("report")
def report(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    entry = reportable(label)
    if entry is None:
        raise Http404
    obj = get_object_or_404(entry.model, pk=pk)
    if entry.can_report is not None and not entry.can_report(request.user, obj):
        raise Http404  # private content: do not even confirm it exists
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_create(
                user=request.user,
                obj=obj,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(entry.url(obj))
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect(entry.url(obj))
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "entry": entry,
            "obj": obj,
            "context": entry.context(obj),
            "url": entry.url(obj),
        },
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request, "moderation/my_actions.html", {"actions": selectors.my_actions(request.user)}
    )


@login_required
@rate_limit("report")
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ModerationAction.objects.select_related("case"), pk=pk)
    if not moderation_permissions.can_read_action(request.user, action):
        raise Http404  # only the author may see (and appeal) a decision about their content
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.appeal_create(user=request.user, action=action, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("moderation:my_actions")
        else:
            messages.success(request, _("Your appeal is sent to a different moderator."))
            return redirect("moderation:my_actions")
    return render(request, "moderation/appeal.html", {"form": form, "action": action})


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    return render(
        request, "moderation/appeals.html", {"appeals": selectors.open_appeals(request.user)}
    )


@login_required
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    item = get_object_or_404(Appeal.objects.select_related("action__case", "action__actor"), pk=pk)
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.appeal_decide(
                moderator=request.user,
                appeal=item,
                grant=form.cleaned_data["grant"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("moderation:appeals")
        else:
            messages.success(request, _("Appeal decided."))
            return redirect("moderation:appeals")
    return render(request, "moderation/appeal_decide.html", {"form": form, "appeal": item})


def transparency(request: HttpRequest) -> HttpResponse:
    months = selectors.transparency()
    labels = dict(ModerationAction._meta.get_field("action").choices)
    reasons = dict(Reason.choices)
    for month in months:
        month["actions"] = [(labels[k], v) for k, v in sorted(month["by_action"].items())]
        month["reasons"] = [(reasons[k], v) for k, v in sorted(month["by_reason"].items())]
        seconds = month["median_seconds"]
        month["median_hours"] = None if seconds is None else round(seconds / 3600, 1)
    return render(request, "moderation/transparency.html", {"months": months})
