"""Account, persona, privacy, notification and follow pages. Thin: parse, call a service.

Every page works without JavaScript (forms POST and redirect). Views turn PermissionDenied
and ValidationError into messages or form errors; nothing a person can type gives a 500.
"""

from __future__ import annotations

import contextlib
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import actions, permissions, privacy, profiles, selectors, spreadsheets
from community import follows as follow_registry
from community.formerrors import apply_validation_error
from community.forms import (
    AccountDeleteForm,
    ConsentForm,
    NotificationPreferencesForm,
    PersonaForm,
)
from community.models import ConsentPurpose, Notification, Persona
from community.participation.views import segment_form_for
from community.ratelimits import rate_limit

CONTRIBUTIONS_PER_SECTION = 10


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# -- account hub and personas -----------------------------------------------------------


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse

    from community.assisted import assist_pages
    from community.permissions import assisting_organisations
    from community.workspace import workspace_links

    helping = assisting_organisations(request.user)
    return render(
        request,
        "community/account_home.html",
        {
            "personas": selectors.personas_of(request.user),
            "assist_links": [(label, reverse(name)) for label, name in assist_pages()]
            if helping
            else [],
            "assisting": helping,
            "workspace_links": workspace_links(request.user),
        },
    )


@login_required
def persona_list(request: HttpRequest) -> HttpResponse:
    form = PersonaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            persona = actions.persona_create(account=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
        else:
            if persona.screening.held:
                messages.warning(request, persona.screening.message)
            else:
                messages.success(
                    request, _("Your persona %(name)s is ready.") % {"name": persona.display_name}
                )
            return redirect("community:personas")
    return render(
        request,
        "community/persona_list.html",
        {"personas": selectors.personas_of(request.user), "form": form},
        status=400 if form.errors else 200,
    )


def _own_persona(request: HttpRequest, slug: str) -> Persona:
    return get_object_or_404(
        Persona.objects.select_related("organisation"),
        slug=slug,
        account=request.user,
        is_anonymised=False,
    )


@login_required
def persona_edit(request: HttpRequest, slug: str) -> HttpResponse:
    persona = _own_persona(request, slug)
    initial = {
        "display_name": persona.display_name,
        "description": persona.description,
        "organisation": persona.organisation,
    }
    form = PersonaForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            persona = actions.persona_update(
                user=request.user, persona=persona, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
        else:
            if persona.screening.held:
                messages.warning(request, persona.screening.message)
            else:
                messages.success(request, _("Persona saved."))
            return redirect("community:personas")
    return render(
        request,
        "community/persona_edit.html",
        {"persona": persona, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def persona_make_primary(request: HttpRequest, slug: str) -> HttpResponse:
    persona = _own_persona(request, slug)
    actions.persona_make_primary(user=request.user, persona=persona)
    messages.success(
        request, _("%(name)s is now your main persona.") % {"name": persona.display_name}
    )
    return redirect("community:personas")


@require_GET
def persona_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A persona's public page: only this persona, never the account or its other personas."""
    persona = selectors.public_persona(slug)
    if persona is None:
        raise Http404
    from community.moderation.selectors import case_of, public_notice

    case = case_of(persona)
    is_own = permissions.can_act_as(request.user, persona)
    sections = []
    for section in profiles.contribution_sections():
        items = section.source(persona, CONTRIBUTIONS_PER_SECTION)
        sections.append({"key": section.key, "title": section.title, "items": items})
    return render(
        request,
        "community/persona_detail.html",
        {
            "persona": persona,
            "sections": sections,
            "is_own": is_own,
            # a hidden profile: everyone but its owner reads the reason in place of it
            "profile_hidden": bool(case and case.is_hidden) and not is_own,
            "moderation_notice": public_notice(case),
        },
    )


# -- privacy ----------------------------------------------------------------------------


@login_required
def privacy_dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    personas = list(selectors.personas_of(user))
    by_slug = {p.slug: {"persona": p, "sections": []} for p in personas}
    account_sections = []
    for section in privacy.export_sections():
        items = section.export(user)
        per_persona: dict[str, int] = {}
        for item in items:
            slug = item.get("persona") if isinstance(item, dict) else None
            if slug in by_slug and section.key != "personas":
                per_persona[slug] = per_persona.get(slug, 0) + 1
        for slug, count in per_persona.items():
            by_slug[slug]["sections"].append({"title": section.title, "count": count})
        if section.key != "personas":
            account_sections.append(
                {"key": section.key, "title": section.title, "count": len(items)}
            )
    return render(
        request,
        "community/privacy.html",
        {
            "personas": list(by_slug.values()),
            "account_sections": account_sections,
            "consents": selectors.consents_of(user),
            "segment_form": segment_form_for(user),
            "access_log": selectors.access_log_of(user)[:50],
            "assisted": selectors.assisted_for(user)[:50],
        },
    )


@login_required
@require_POST
def consents_update(request: HttpRequest) -> HttpResponse:
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Those choices could not be saved; nothing changed."))
        return redirect("community:privacy")
    chosen = set(form.cleaned_data["purposes"])
    current = {c.purpose: c.granted for c in selectors.consents_of(request.user)}
    changed = 0
    for purpose in ConsentPurpose.values:
        wanted = purpose in chosen
        if current.get(purpose) != wanted or wanted:
            before = current.get(purpose)
            actions.consent_set(user=request.user, purpose=purpose, granted=wanted)
            changed += before != wanted
    messages.success(request, _("Your consents are saved.") if changed else _("Nothing changed."))
    return redirect("community:privacy")


def _filename(user, ext: str) -> str:
    return f"civic-commons-{timezone.now():%Y%m%d}-{user.pk}.{ext}"


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    data = privacy.build_export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request.user, "json")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def contributions_csv(request: HttpRequest) -> HttpResponse:
    columns, rows = privacy.contribution_rows(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request.user, "csv")}"'
    response["Cache-Control"] = "no-store"
    writer = spreadsheets.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column) for column in columns])
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is deleted. What you contributed stays, shown as "
                "“Former participant”."
            ),
        )
        return redirect("/")
    return render(
        request,
        "community/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# -- notifications ----------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "community/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    actions.notifications_mark_read(user=request.user, notification_ids=[note.pk])
    target = note.url if note.url.startswith("/") and not note.url.startswith("//") else ""
    return redirect(target or "community:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    unread = actions.notifications_mark_read(user=request.user)
    if _wants_json(request):
        return JsonResponse({"unread": unread})
    messages.success(request, _("All notifications are marked as read."))
    return redirect(_safe_next(request, "community:notifications"))


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    wanted = selectors.email_categories_of(request.user)
    form = NotificationPreferencesForm(request.POST or None, initial={"email_categories": wanted})
    if request.method == "POST" and form.is_valid():
        actions.notification_preferences_set(
            user=request.user, email_categories=form.cleaned_data["email_categories"]
        )
        messages.success(request, _("Your email preferences are saved."))
        return redirect("community:notification_preferences")
    return render(
        request,
        "community/notification_preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# -- follows ----------------------------------------------------------------------------


@login_required
def following(request: HttpRequest) -> HttpResponse:
    return render(
        request, "community/following.html", {"items": selectors.following_of(request.user)}
    )


def _target_from(request: HttpRequest):
    label = request.POST.get("target_type", "")
    entry = follow_registry.followable(label)
    try:
        pk = int(request.POST.get("target_id", ""))
    except ValueError:
        pk = None
    if entry is None or pk is None:
        return None
    try:
        return entry.model._default_manager.get(pk=pk)
    except ObjectDoesNotExist:
        return None


@login_required
@require_POST
@rate_limit("write")
def follow_toggle(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow any registered model; JSON for scripts, a redirect otherwise."""
    target = _target_from(request)
    if target is None:
        if _wants_json(request):
            return JsonResponse({"error": _("That cannot be followed.")}, status=400)
        messages.error(request, _("That cannot be followed."))
        return redirect(_safe_next(request, "community:following"))
    fallback = target.get_absolute_url() if hasattr(target, "get_absolute_url") else "/"
    action = request.POST.get("action", "follow")
    error = None
    try:
        if action == "unfollow":
            actions.unfollow(user=request.user, target=target)
        else:
            actions.follow(user=request.user, target=target)
    except (ValidationError, PermissionDenied) as exc:
        error = " ".join(getattr(exc, "messages", [str(exc)]))
    if _wants_json(request):
        ct = ContentType.objects.get_for_model(target)
        body = {
            "following": selectors.is_following(request.user, target),
            "followers": selectors.follower_count(target),
            "target": f"{ct.app_label}.{ct.model}:{target.pk}",
        }
        if error:
            body["error"] = error
        return JsonResponse(body, status=400 if error else 200)
    if error:
        messages.error(request, error)
    elif action == "unfollow":
        messages.success(request, _("You no longer follow %(name)s.") % {"name": target})
    else:
        messages.success(request, _("You now follow %(name)s.") % {"name": target})
    return redirect(_safe_next(request, fallback))


# -- language -----------------------------------------------------------------------------


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie), and for a signed-in person also their account's
    saved language, so emails and texts follow it too."""
    from django.views.i18n import set_language

    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        # An unknown code changes nothing; Django's view has already ignored it.
        with contextlib.suppress(PermissionDenied, ValidationError):
            actions.account_language_set(user=request.user, language=language)
    return response
