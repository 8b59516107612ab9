"""Service-experience pages. Thin: parse, call a service or selector, render.

The feedback form works without JavaScript and without an account: a refused answer
re-shows the form with the reason (400) and writes nothing. Staff pages refuse with the
insight dashboards' 403 page (or the sign-in page when signed out).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import formerrors
from community.models import Organisation
from community.permissions import assisting_organisations
from community.ratelimits import rate_limit
from ideas.experience import catalogue, exports, permissions, selectors, services
from ideas.experience.forms import CounterForm, FeedbackForm, FollowUpForm, PromoteForm
from ideas.experience.models import Theme
from ideas.insight.conf import setting as insight_setting
from ideas.insight.exports import csv_download


def _refuse(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "experience/forbidden.html", status=403)


def _agency(request: HttpRequest, slug: str) -> Organisation | HttpResponse:
    agency = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.AGENCY).first()
    if agency is None or not permissions.can_view_service_dashboard(request.user, agency):
        return _refuse(request)
    return agency


def _errors(form, exc: ValidationError) -> None:  # type: ignore[no-untyped-def]
    formerrors.apply_validation_error(form, exc)


@rate_limit("comment")
def feedback(request: HttpRequest, page_id: int) -> HttpResponse:
    service = catalogue.service(page_id)
    if service is None or not service.live:
        return render(request, "experience/closed.html", status=404)
    form = FeedbackForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                service_page_id=page_id,
                channel="web",
                respondent=services.web_respondent(request),
                account=request.user if request.user.is_authenticated else None,
                **form.answers(),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request, _("Thank you for your feedback. It helps us improve this service.")
            )
            return redirect(service.url or "/")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "experience/feedback.html", {"form": form, "service": service}, status=status
    )


def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agencies = [
        a
        for a in Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
        if permissions.can_view_service_dashboard(request.user, a)
    ]
    if not agencies:
        return _refuse(request)
    if len(agencies) == 1:
        return redirect("experience:dashboard", slug=agencies[0].slug)
    return render(request, "experience/index.html", {"agencies": agencies})


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if isinstance(agency, HttpResponse):
        return agency
    total, rows = selectors.per_service(agency)
    trends = selectors.trend(agency)
    for row in rows:
        row["trend"] = trends.get(row["service"].id, [])
    return render(
        request,
        "experience/dashboard.html",
        {
            "agency": agency,
            "total": total,
            "rows": rows,
            "themes": selectors.themes(agency),
            "min_cell": insight_setting("MIN_CELL"),
            "window_start": selectors.window_start(),
            "socket_path": f"/ws/experience/{agency.pk}/",
            "tables": list(exports.TABLES),
        },
    )


def export(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    agency = _agency(request, slug)
    if isinstance(agency, HttpResponse):
        return agency
    if table not in exports.TABLES:
        raise Http404(_("There is no such table."))
    response = csv_download(f"services-{agency.slug}-{table}.csv")
    exports.write_table(response, table, agency)
    return response


def comments(request: HttpRequest, page_id: int) -> HttpResponse:
    service = catalogue.service(page_id)
    if service is None or service.agency_id is None:
        raise Http404(_("There is no such service."))
    if not permissions.can_view_service_dashboard(request.user, service.agency_id):
        return _refuse(request)
    agency = Organisation.objects.get(pk=service.agency_id)
    return render(
        request,
        "experience/comments.html",
        {
            "agency": agency,
            "service": service,
            "comments": selectors.service_comments(service.agency_id, service.id),
        },
    )


def theme(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Theme.objects.select_related("agency", "challenge"), pk=pk)
    if not permissions.can_view_service_dashboard(request.user, item.agency_id):
        return _refuse(request)
    form = PromoteForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_promote_theme(request.user, item):
            return _refuse(request)
        if form.is_valid():
            try:
                challenge = services.theme_promote(
                    user=request.user, theme=item, question=form.cleaned_data["question"]
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The challenge is open. People can post ideas now."))
                return redirect(challenge.get_absolute_url())
    return render(
        request,
        "experience/theme.html",
        {
            "theme": item,
            "agency": item.agency,
            "service": catalogue.service(item.service_page_id),
            "comments": selectors.theme_comments(item),
            "form": form,
            "can_promote": permissions.can_promote_theme(request.user, item),
        },
        status=400 if request.method == "POST" else 200,
    )


def _counter_services(request: HttpRequest) -> list:
    services_list = []
    for agency in assisting_organisations(request.user):
        if permissions.can_record_counter_feedback(request.user, agency):
            services_list += [s for s in catalogue.agency_services(agency.pk) if s.live]
    return services_list


@rate_limit("write")
def counter(request: HttpRequest) -> HttpResponse:
    """Counter staff: pick a service, then record the citizen's answer (or text them)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    choices = _counter_services(request)
    if not choices:
        return _refuse(request)
    raw = request.GET.get("service") or request.POST.get("service") or ""
    service = next((s for s in choices if str(s.id) == raw), None)
    form = follow_form = None
    if service is not None:
        form = CounterForm(request.POST or None, service=service)
        follow_form = FollowUpForm()
        if request.method == "POST" and form.is_valid():
            answers = form.answers()
            try:
                services.counter_record(
                    staff=request.user,
                    service_page_id=service.id,
                    citizen_email=form.cleaned_data.get("citizen_email", ""),
                    **answers,
                )
            except PermissionDenied:
                return _refuse(request)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The answer is recorded. Thank you."))
                return redirect(f"{request.path}?service={service.id}")
    elif request.method == "POST":
        messages.error(request, _("Choose a service from the list."))
    return render(
        request,
        "experience/counter.html",
        {"services": choices, "service": service, "form": form, "follow_form": follow_form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@rate_limit("write")
def follow_up(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    choices = _counter_services(request)
    if not choices:
        return _refuse(request)
    service = next((s for s in choices if str(s.id) == request.POST.get("service", "")), None)
    follow_form = FollowUpForm(request.POST)
    if service is not None and follow_form.is_valid():
        data = follow_form.cleaned_data
        try:
            services.follow_up_send(
                staff=request.user,
                service_page_id=service.id,
                citizen_email=data["citizen_email"],
                contact_channel=data["contact_channel"],
                consent_given=data["consent"],
                consent_method=data["consent_method"],
            )
        except PermissionDenied:
            return _refuse(request)
        except ValidationError as exc:
            _errors(follow_form, exc)
        else:
            messages.success(request, _("The follow-up text is on its way."))
            return redirect(f"{request.path.rsplit('follow-up/', 1)[0]}?service={service.id}")
    if service is None:
        follow_form.add_error(None, _("Choose a service from the list."))
    return render(
        request,
        "experience/counter.html",
        {
            "services": choices,
            "service": service,
            "form": CounterForm(service=service) if service else None,
            "follow_form": follow_form,
        },
        status=400,
    )
