"""Backlog pages for agency staff, the inbound tracker endpoint and the CSV export.

Thin: parse, call a service, turn its refusal into a message, a form error or a JSON error.
Everything works without JavaScript; ``board.js`` adds drag-and-drop and live updates.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community import spreadsheets
from community.content_i18n import originals
from community.formerrors import apply_validation_error
from community.models import Organisation, User
from community.permissions import STAFF_ROLES
from ideas.backlog import actions, permissions, selectors, signing
from ideas.backlog.conf import setting
from ideas.backlog.forms import (
    BulkMoveForm,
    ItemForm,
    MoveForm,
    PromoteForm,
    WebhookForm,
)
from ideas.backlog.models import BacklogItem, ItemStatus, WebhookEndpoint
from ideas.models import Idea, Status


def _agency_for_staff(request: HttpRequest, slug: str) -> Organisation:
    agency = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.AGENCY)
    if not permissions.can_view_backlog(request.user, agency):
        raise Http404
    return agency


def _login_required(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _owners(agency: Organisation):
    return (
        User.objects.filter(
            memberships__organisation=agency, memberships__role__in=STAFF_ROLES, is_active=True
        )
        .distinct()
        .order_by("first_name", "username")
    )


def index(request: HttpRequest) -> HttpResponse:
    """The backlogs this person may see (staff only)."""
    if response := _login_required(request):
        return response
    agencies = [
        a
        for a in Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
        if permissions.can_view_backlog(request.user, a)
    ]
    if not agencies:
        raise Http404
    if len(agencies) == 1:
        return redirect("backlog:board", slug=agencies[0].slug)
    return render(request, "backlog/index.html", {"agencies": agencies})


def board(request: HttpRequest, slug: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    agency = _agency_for_staff(request, slug)
    filters = selectors.BoardFilters(
        q=request.GET.get("q", "")[:100],
        owner=int(request.GET["owner"]) if request.GET.get("owner", "").isdigit() else None,
        public=request.GET.get("public", "")
        if request.GET.get("public") in ("public", "internal")
        else "",
        quarter=request.GET.get("quarter", "")[:7],
    )
    items = list(selectors.board_items(agency, filters))
    can_manage = permissions.can_manage_backlog(request.user, agency)
    promotable = (
        Idea.objects.visible()
        .filter(challenge__agency=agency, status=Status.ACCEPTED, backlog_links__isnull=True)
        .select_related("challenge")[:20]
        if can_manage
        else []
    )
    return render(
        request,
        "backlog/board.html",
        {
            "agency": agency,
            "columns": selectors.board_columns(items),
            "items": items,
            "filters": filters,
            "owners": _owners(agency),
            "statuses": ItemStatus.choices,
            "can_manage": can_manage,
            "can_integrate": permissions.can_manage_integrations(request.user, agency),
            "promotable": promotable,
            "bulk_form": BulkMoveForm(item_choices=[(i.pk, i.title) for i in items]),
        },
    )


def item_create(request: HttpRequest, slug: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    agency = _agency_for_staff(request, slug)
    if not permissions.can_manage_backlog(request.user, agency):
        raise PermissionDenied
    form = ItemForm(request.POST or None, owners=_owners(agency))
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.item_create(user=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Added “%(item)s” to the backlog.") % {"item": item})
            return redirect("backlog:item", pk=item.pk)
    return render(request, "backlog/item_form.html", {"agency": agency, "form": form})


def _item_for_staff(request: HttpRequest, pk: int) -> BacklogItem:
    try:
        item = selectors.item_for_staff(pk)
    except BacklogItem.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_backlog(request.user, item.agency):
        raise Http404
    return item


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if response := _login_required(request):
        return response
    item = _item_for_staff(request, pk)
    can_manage = permissions.can_manage_backlog(request.user, item.agency)
    with originals():  # staff edit the stored text, whatever language they read in
        initial = {f: getattr(item, f) for f in actions.EDITABLE}
    form = ItemForm(request.POST or None, initial=initial, owners=_owners(item.agency))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.item_update(user=request.user, item=item, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("backlog:item", pk=item.pk)
    return render(
        request,
        "backlog/item_detail.html",
        {
            "item": item,
            "agency": item.agency,
            "form": form,
            "move_form": MoveForm(),
            "can_manage": can_manage,
            "allowed": [(s, ItemStatus(s).label) for s in ItemStatus.values if s in _allowed(item)],
        },
    )


def _allowed(item: BacklogItem) -> frozenset[str]:
    from ideas.backlog.models import TRANSITIONS

    return TRANSITIONS[item.status]


@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    if response := _login_required(request):
        return response
    item = _item_for_staff(request, pk)
    form = MoveForm(request.POST)
    back = request.POST.get("next") == "board"
    target = (
        reverse("backlog:board", args=[item.agency.slug])
        if back
        else reverse("backlog:item", args=[pk])
    )
    if not form.is_valid():
        messages.error(request, _("Choose a status to move to."))
        return redirect(target)
    try:
        moved = actions.item_transition(user=request.user, item=item, **form.cleaned_data)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("“%(item)s” moved to %(status)s.")
            % {"item": moved, "status": ItemStatus(moved.status).label},
        )
    return redirect(target)


@require_POST
def bulk_move(request: HttpRequest, slug: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    agency = _agency_for_staff(request, slug)
    ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
    form = BulkMoveForm(request.POST, item_choices=[(i, i) for i in ids])
    if not form.is_valid():
        messages.error(request, _("Choose the items and a status to move them to."))
        return redirect("backlog:board", slug=slug)
    try:
        moved = actions.item_bulk_transition(
            user=request.user,
            agency=agency,
            item_ids=form.cleaned_data["items"],
            status=form.cleaned_data["status"],
            message=form.cleaned_data["message"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Moved %(n)d items.") % {"n": len(moved)})
    return redirect("backlog:board", slug=slug)


def promote(request: HttpRequest, idea_pk: int) -> HttpResponse:
    """Promote an accepted idea: a confirmation page, then one POST."""
    if response := _login_required(request):
        return response
    idea = get_object_or_404(Idea.objects.select_related("challenge__agency"), pk=idea_pk)
    agency = idea.challenge.agency
    if not permissions.can_manage_backlog(request.user, agency):
        raise Http404
    form = PromoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.promote_idea(user=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("“%(idea)s” is now in the backlog.") % {"idea": idea})
            return redirect("backlog:item", pk=item.pk)
    return render(request, "backlog/promote.html", {"idea": idea, "agency": agency, "form": form})


def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if response := _login_required(request):
        return response
    agency = _agency_for_staff(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="backlog-{agency.slug}.csv"'
    writer = spreadsheets.writer(response)
    writer.writerow(
        [
            "id",
            "title",
            "status",
            "score",
            "reach",
            "impact",
            "confidence",
            "effort",
            "target_quarter",
            "public",
            "owner",
            "ideas",
            "public_reason",
            "updated_at",
        ]
    )
    for item in selectors.board_items(agency):
        writer.writerow(
            [
                item.pk,
                item.title,
                item.status,
                item.score,
                item.reach,
                item.impact,
                item.confidence,
                item.effort,
                item.target_quarter,
                "yes" if item.is_public else "no",
                item.owner.username if item.owner_id else "",
                " ".join(str(link.idea_id) for link in item.idea_links.all()),
                item.public_reason,
                item.updated_at.isoformat(),
            ]
        )
    return response


def integrations(request: HttpRequest, slug: str) -> HttpResponse:
    """Webhook configuration and the delivery log (agency admins)."""
    if response := _login_required(request):
        return response
    agency = _agency_for_staff(request, slug)
    if not permissions.can_manage_integrations(request.user, agency):
        raise Http404
    endpoint = WebhookEndpoint.objects.filter(agency=agency).first()
    initial = {"url": endpoint.url, "is_active": endpoint.is_active} if endpoint else None
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.webhook_configure(user=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("backlog:integrations", slug=slug)
    return render(
        request,
        "backlog/integrations.html",
        {
            "agency": agency,
            "form": form,
            "endpoint": endpoint,
            "deliveries": selectors.deliveries_of(agency),
            "inbound_url": request.build_absolute_uri(reverse("backlog:inbound", args=[slug])),
        },
    )


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, slug: str) -> JsonResponse:
    """The agency tracker sets an item's status: ``{"item": id, "status": …, "message": …}``.

    Signed like outbound deliveries; unsigned, tampered, stale or replayed calls are refused
    with a JSON error and change nothing.
    """
    endpoint = (
        WebhookEndpoint.objects.select_related("agency")
        .filter(agency__slug=slug, is_active=True)
        .first()
    )
    if endpoint is None:
        return _error("unknown_agency", "No active integration for this agency.", 404)
    body = request.body
    if len(body) > setting("WEBHOOK_MAX_BODY"):
        return _error("too_large", "The body is too large.", 413)
    refusal = signing.verify(
        secret=endpoint.secret,
        timestamp=request.headers.get(signing.TIMESTAMP_HEADER),
        sig=request.headers.get(signing.SIGNATURE_HEADER),
        body=body,
        window=setting("WEBHOOK_REPLAY_WINDOW"),
    )
    if refusal is not None:
        return _error(refusal.code, refusal.message, refusal.status)
    try:
        data = json.loads(body)
    except ValueError:
        return _error("malformed", "The body must be a JSON object.", 400)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("item"), int)
        or not isinstance(data.get("status"), str)
        or not isinstance(data.get("message", ""), str)
    ):
        return _error(
            "malformed", 'Send {"item": <id>, "status": "<status>", "message": "…"}.', 400
        )
    try:
        item = actions.tracker_set_status(
            agency=endpoint.agency,
            signature=request.headers[signing.SIGNATURE_HEADER].strip(),
            item_id=data["item"],
            status=data["status"],
            message=data.get("message", ""),
        )
    except BacklogItem.DoesNotExist:
        return _error("unknown_item", "This agency has no backlog item with that id.", 404)
    except ValidationError as exc:
        if "signature" in getattr(exc, "error_dict", {}):
            return _error("replayed", " ".join(exc.messages), 409)
        return _error("invalid", " ".join(exc.messages), 422)
    return JsonResponse({"item": item.pk, "status": item.status})
