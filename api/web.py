"""The web pages of open data: personal API tokens (account page), the /data/ index and the
bulk download at its stable address."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from api import bulk, services
from api.models import ApiToken
from api.services import NAME_MAX
from community.formerrors import apply_validation_error


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=NAME_MAX,
        help_text=gettext_lazy("Say what will use it, for example “My bus-stop app”."),
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = services.token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(account=request.user, revoked_at=None),
        },
        status=400 if form.errors else 200,
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, account=request.user)
    services.token_revoke(user=request.user, token=token)
    messages.success(
        request,
        _("Token “%(name)s” is revoked; apps using it can no longer sign in.")
        % {"name": token.name},
    )
    return redirect("open_data:tokens")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    release = bulk.latest_release()
    found = bulk.datasets()
    rows = release.rows if release else {}
    return render(
        request,
        "api/data_index.html",
        {
            "release": release,
            "datasets": [(d, rows.get(d.name)) for d in found],
            "licence_name": bulk.LICENCE_NAME,
            "licence_url": bulk.LICENCE_URL,
            "attribution": bulk.ATTRIBUTION,
        },
    )


@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """The newest bulk download, at a stable address, with Last-Modified and ETag."""
    release = bulk.latest_release()
    if release is None or not default_storage.exists(release.file):
        response = HttpResponse(
            _("The download is being prepared. Try again in an hour."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "3600"
        return response
    etag = f'"{release.sha256[:32]}"'
    modified = int(release.created_at.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        return not_modified
    response = FileResponse(
        default_storage.open(release.file, "rb"),
        as_attachment=True,
        filename="civic-commons-open-data.zip",
        content_type="application/zip",
    )
    response["Content-Length"] = str(release.size)
    response["Last-Modified"] = http_date(modified)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=3600)
    return response
