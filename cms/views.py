"""The few CMS views outside Wagtail's page tree."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail import views as wagtail_views

from cms import selectors


def services(request: HttpRequest) -> HttpResponse:
    """``/services/``: the live service index, wherever editors have put it.

    Served in place when the index lives at /services/ (so the navigation link is the page
    itself), redirected to otherwise, and a plain 404 page when there is none yet.
    """
    index = selectors.service_index_for(request)
    if index is None:
        return render(request, "cms/no_service_index.html", status=404)
    url = index.get_url(request=request)
    if url == request.path:
        return wagtail_views.serve(request, request.path.lstrip("/"))
    return redirect(url)


def campaign_send(request: HttpRequest, page_id: int) -> HttpResponse:
    """Send a campaign page to its agency's consenting audience, and see each send's counts.

    Linked from the page's menu in the CMS; only the agency's editors may open it.
    """
    from django.contrib import messages
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404
    from django.utils.translation import gettext as _

    from cms.models import CampaignPage
    from cms.outreach import campaign_agency, campaign_content, campaign_source
    from community.outreach import selectors as outreach_selectors
    from community.outreach import services as outreach_services
    from community.outreach.permissions import can_send_campaign

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = CampaignPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    agency = campaign_agency(page)
    if agency is None or not can_send_campaign(request.user, agency):
        raise PermissionDenied
    error = ""
    status = 200
    if request.method == "POST":
        by_email = request.POST.get("by_email") == "on"
        by_text = request.POST.get("by_text") == "on"
        try:
            outreach_services.campaign_send(
                user=request.user,
                agency=agency,
                source=campaign_source(page),
                title=page.title,
                content=campaign_content(page),
                by_email=by_email,
                by_text=by_text,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
        else:
            messages.success(
                request, _("The campaign is being sent. The counts below fill in as it goes.")
            )
            return redirect("cms:campaign_send", page_id=page.pk)
    sends = outreach_selectors.campaign_counts(
        outreach_selectors.campaigns_for(campaign_source(page))
    )
    return render(
        request,
        "cms/campaign_send.html",
        {
            "page": page,
            "agency": agency,
            "email_audience": len(outreach_selectors.email_audience(agency)),
            "text_audience": len(outreach_selectors.text_audience(agency)),
            "sends": sends,
            "error": error,
        },
        status=status,
    )


def campaigns(request: HttpRequest) -> HttpResponse:
    """The campaign pages the signed-in editor may send (their agencies' services).

    Linked from the workspace ("Your work") for editors; other people are refused."""
    from django.conf import settings
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from cms.models import CampaignPage
    from community.outreach.permissions import can_send_campaign
    from community.permissions import can_edit_pages

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_edit_pages(request.user):
        raise PermissionDenied
    pages = (
        CampaignPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .select_related("service__responsible_agency")
        .order_by("title")
    )
    sendable = [
        (page, page.service.responsible_agency)
        for page in pages
        if page.service is not None
        and can_send_campaign(request.user, page.service.responsible_agency)
    ]
    return render(request, "cms/campaigns.html", {"sendable": sendable})
