"""Wagtail admin registrations: agencies, life events and brand values as snippets.

Agencies are ``community.Organisation`` rows of kind "agency" (intermediaries are managed in
the Django admin); the viewset only lists, creates and edits agencies.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from cms.models import BrandValue, LifeEvent
from community.models import Organisation


class ProtectedDeleteView(DeleteView):
    """Refuse, with a message naming why, to delete a row that pages still point to.

    Wagtail's reference index normally hides the delete button already; this covers rows it
    does not know about (e.g. a live page whose latest draft points elsewhere).
    """

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as error:
            titles = sorted({str(obj) for obj in error.protected_objects})[:5]
            messages.error(
                self.request,
                _(
                    "“%(name)s” cannot be deleted: it is still used by %(pages)s. Move those "
                    "pages to another agency first."
                )
                % {"name": self.object, "pages": ", ".join(titles)},
            )
            return redirect(self.get_success_url())


class AgencyViewSet(SnippetViewSet):
    model = Organisation
    menu_label = gettext_lazy("Agencies")
    icon = "group"
    url_prefix = "agencies"
    delete_view_class = ProtectedDeleteView
    list_display = ["name", "contact_email", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    panels = [
        TitleFieldPanel("name", targets=["slug"]),
        FieldPanel("slug"),
        FieldPanel("description"),
        # Spanish (or any language's) name and description: docs/languages.md.
        FieldPanel("translations"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("website")],
            heading=gettext_lazy("Contact"),
        ),
        FieldPanel("logo"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return Organisation.objects.filter(kind=Organisation.Kind.AGENCY).order_by("name")


class LifeEventViewSet(SnippetViewSet):
    model = LifeEvent
    menu_label = gettext_lazy("Life events")
    icon = "date"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]
    delete_view_class = ProtectedDeleteView


class BrandValueViewSet(SnippetViewSet):
    model = BrandValue
    menu_label = gettext_lazy("Brand values")
    icon = "pick"
    list_display = ["statement", "locale"]
    search_fields = ["statement"]
    delete_view_class = ProtectedDeleteView


class ServiceDirectoryGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Service directory")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (AgencyViewSet, LifeEventViewSet, BrandValueViewSet)


register_snippet(ServiceDirectoryGroup)


@hooks.register("register_page_header_buttons")
def campaign_send_button(page, user, *args, **kwargs):
    """ "Send campaign" on a campaign page's menus, for the agency's editors."""
    from cms.models import CampaignPage
    from cms.outreach import campaign_agency
    from community.outreach.permissions import can_send_campaign

    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(specific, CampaignPage):
        return
    agency = campaign_agency(specific)
    if agency is not None and can_send_campaign(user, agency):
        yield Button(
            gettext_lazy("Send campaign"),
            reverse("cms:campaign_send", args=[page.pk]),
            icon_name="mail",
            priority=45,
        )
