"""Wagtail page types and snippets: services, life events, brand values, news, campaigns.

Agencies are ``community.Organisation`` rows (kind=agency), registered as a snippet in
``cms/wagtail_hooks.py``; pages point at them with ``on_delete=PROTECT`` so an agency that
still runs a service cannot be deleted out from under it.

Reads that pages render (with their related rows, in a constant number of queries) live in
``cms/selectors.py``; templates never walk relations on their own.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index

from cms.blocks import (
    NO_CHANNEL_MESSAGE,
    CampaignBodyBlock,
    ChannelsBlock,
    LinkBlock,
    StepsBlock,
)
from cms.caching import CachedRouteMixin, RoutedRestrictionsMixin
from community.models import Organisation

RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]
AGENCY_CHOICES = {"kind": Organisation.Kind.AGENCY}


# --------------------------------------------------------------------------------------------
# Snippets
# --------------------------------------------------------------------------------------------


class LifeEvent(TranslatableMixin, index.Indexed, models.Model):
    """A moment in life ("Having a baby") that groups services across agency lines."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Used in addresses such as ?life_event=…")
    )
    summary = models.TextField(_("summary"), max_length=300, blank=True)

    panels = [
        TitleFieldPanel("name", targets=["slug"]),
        FieldPanel("slug"),
        FieldPanel("summary"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="lifeevent_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # The (locale, slug) constraint is not checked by the admin form, which has no locale
        # field: check it here so a clash is a message, not a database error.
        super().clean()
        locale_id = self.locale_id or Locale.get_default().pk
        clash = LifeEvent.objects.filter(locale_id=locale_id, slug=self.slug).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": _("Another life event already uses this slug.")})


class BrandValue(TranslatableMixin, index.Indexed, models.Model):
    """A promise the city makes about its services ("One visit, not three")."""

    statement = models.CharField(_("statement"), max_length=120)
    explanation = models.TextField(_("explanation"), max_length=600, blank=True)

    panels = [FieldPanel("statement"), FieldPanel("explanation")]
    search_fields = [index.SearchField("statement"), index.AutocompleteField("statement")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["statement"]
        verbose_name = _("brand value")
        verbose_name_plural = _("brand values")

    def __str__(self) -> str:
        return self.statement


# --------------------------------------------------------------------------------------------
# API serializers (read-only open data)
# --------------------------------------------------------------------------------------------


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "description", "contact_email", "phone", "website"]


class LifeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeEvent
        fields = ["id", "name", "slug"]


class BrandValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = BrandValue
        fields = ["id", "statement", "explanation"]


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


class LocaleFallbackMixin:
    """Route to the default-language page when this translation has no such child.

    With simple_translation, editors translate pages one at a time. A Spanish visitor asking
    for a page nobody has translated yet gets the English page rather than a 404.
    """

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            default = Locale.get_default()
            if self.locale_id == default.pk:
                raise
            source = self.get_translation_or_none(default)
            if source is None or not source.live:
                raise
            return source.specific.route(request, path_components)


class HomePage(CachedRouteMixin, RoutedRestrictionsMixin, LocaleFallbackMixin, Page):
    """The site's front page: what the platform is for and where to start."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    body = RichTextField(_("body"), blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
        InlinePanel(
            "featured_services",
            label=_("Featured services"),
            max_num=6,
            help_text=_("Up to six services to show first on the home page."),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ServiceIndexPage",
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "cms.CampaignPage",
        "research.SurveyPage",
    ]
    max_count_per_parent = 1

    api_fields = [APIField("hero_title"), APIField("hero_text"), APIField("body")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms import caching, pagecache, selectors

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragment is missing (cms/caching.py).
        context.update(
            caching.lazy_context(
                lambda: selectors.home_page_context(self),
                ("featured_services", "service_index", "latest_news", "home_life_events"),
            )
        )
        context.update(caching.fragment_context(request))
        if pagecache.rendering_for_cache(request):
            context["csrf_token"] = pagecache.CSRF_SLOT
            context["home_panels_slot"] = True
        return context

    def serve(self, request, *args, **kwargs):
        from cms import pagecache

        response = super().serve(request, *args, **kwargs)
        if pagecache.rendering_for_cache(request):
            response.page_cache_page_id = self.pk  # cms.pagecache may keep it, with its slots
        return response


class HomePageFeaturedService(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_services")
    service = models.ForeignKey(
        "cms.ServicePage", verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("service", "cms.ServicePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured service")
        constraints = [
            models.UniqueConstraint(fields=["page", "service"], name="featured_service_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} → {self.service_id}"


class ServiceIndexPage(RoutedRestrictionsMixin, LocaleFallbackMixin, Page):
    """Browse every service by life event and by agency; search and filter without JS."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage", "research.SurveyPage"]
    max_count_per_parent = 1
    page_size = 20

    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("service index")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        query = (request.GET.get("q") or "").strip()[:200]
        life_event = (request.GET.get("life_event") or "").strip()[:80]
        agency = (request.GET.get("agency") or "").strip()[:80]
        services = selectors.services_in(
            self, query=query, life_event_slug=life_event, agency_slug=agency
        )
        paginator = Paginator(services, self.page_size)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context.update(
            {
                "query": query,
                "selected_life_event": life_event,
                "selected_agency": agency,
                "is_filtered": bool(query or life_event or agency),
                "query_string": urlencode(
                    [
                        (key, value)
                        for key, value in (
                            ("q", query),
                            ("life_event", life_event),
                            ("agency", agency),
                        )
                        if value
                    ]
                ),
                "page_obj": page_obj,
                "services": selectors.with_service_cards(list(page_obj.object_list)),
                **selectors.service_filters(self),
            }
        )
        return context


class ServicePageForm(WagtailAdminPageForm):
    """Tells the page when the editor is only saving a draft (validation deferred)."""

    def defer_required_fields(self):
        super().defer_required_fields()
        self.instance.defer_publish_checks = True

    def restore_required_fields(self):
        super().restore_required_fields()
        self.instance.defer_publish_checks = False

    def clean(self):
        cleaned_data = super().clean()
        links = self.formsets.get("related_service_links")
        if links is not None and self.instance.pk and links.is_valid():
            for form in links.forms:
                service = form.cleaned_data.get("service")
                deleted = form.cleaned_data.get("DELETE")
                if service and service.pk == self.instance.pk and not deleted:
                    form.add_error("service", _("A service cannot be related to itself."))
        return cleaned_data


class ServicePage(RoutedRestrictionsMixin, Page):
    """What a service is, who it is for and every way to use it, across agency lines."""

    base_form_class = ServicePageForm
    #: Set by the editor's form while saving a draft: channels are only required to publish.
    defer_publish_checks = False

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: what this service does for people."),
    )
    body = RichTextField(_("what it is"), blank=True, features=RICH_FEATURES)
    audience = RichTextField(_("who it is for"), blank=True, features=RICH_FEATURES)
    eligibility = RichTextField(_("eligibility"), blank=True, features=RICH_FEATURES)
    steps = StreamField(StepsBlock(), verbose_name=_("steps"), blank=True)
    channels = StreamField(
        ChannelsBlock(),
        verbose_name=_("ways to use this service"),
        help_text=_("At least one channel is needed before the page can be published."),
    )
    responsible_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        limit_choices_to=AGENCY_CHOICES,
        related_name="service_pages",
    )
    partner_agencies = ParentalManyToManyField(
        Organisation,
        verbose_name=_("partner agencies"),
        blank=True,
        limit_choices_to=AGENCY_CHOICES,
        related_name="partner_service_pages",
    )
    life_events = ParentalManyToManyField(
        LifeEvent, verbose_name=_("life events"), blank=True, related_name="service_pages"
    )
    brand_values = ParentalManyToManyField(
        BrandValue, verbose_name=_("brand values"), blank=True, related_name="service_pages"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("audience"),
        FieldPanel("eligibility"),
        FieldPanel("steps"),
        FieldPanel("channels"),
        MultiFieldPanel(
            [
                FieldPanel("responsible_agency"),
                FieldPanel("partner_agencies", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Agencies"),
        ),
        FieldRowPanel(
            [
                FieldPanel("life_events", widget=forms.CheckboxSelectMultiple),
                FieldPanel("brand_values", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Life events and brand values"),
        ),
        InlinePanel("related_service_links", label=_("Related services"), max_num=8),
    ]

    parent_page_types = ["cms.ServiceIndexPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.SearchField("body"),
        index.SearchField("audience"),
        index.SearchField("eligibility"),
        index.SearchField("steps"),
        index.FilterField("responsible_agency"),
        index.FilterField("locale"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("body"),
        APIField("audience"),
        APIField("eligibility"),
        APIField("steps"),
        APIField("channels"),
        APIField("responsible_agency", serializer=AgencySerializer(read_only=True)),
        APIField("partner_agencies", serializer=AgencySerializer(many=True, read_only=True)),
        APIField("life_events", serializer=LifeEventSerializer(many=True, read_only=True)),
        APIField("brand_values", serializer=BrandValueSerializer(many=True, read_only=True)),
    ]

    class Meta:
        verbose_name = _("service page")

    def full_clean(self, exclude=None, **kwargs):
        """Also refuse to go live without channels when published outside the editor.

        Wagtail validates a page fully only when it is saved live (publishing, workflow
        approval, scheduled publishing); drafts defer this check, as the editor does.
        """
        super().full_clean(exclude=exclude, **kwargs)
        if (
            self.live
            and not self.channels
            and "channels" not in (exclude or ())
            and not self.defer_publish_checks
        ):
            raise ValidationError({"channels": [NO_CHANNEL_MESSAGE]})

    def clean(self):
        super().clean()
        errors = {}
        if self.responsible_agency_id and self.responsible_agency.kind != Organisation.Kind.AGENCY:
            errors["responsible_agency"] = _("Choose an agency, not an intermediary.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from cms import caching, pagecache, selectors

        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragment is missing (cms/caching.py).
        context.update(
            caching.lazy_context(
                lambda: selectors.service_page_context(self),
                ("agency", "partner_agencies", "life_events", "brand_values", "related_services"),
            )
        )
        context.update(caching.fragment_context(request))
        if pagecache.rendering_for_cache(request):
            context["csrf_token"] = pagecache.CSRF_SLOT
            context["improve_panel_slot"] = True
        return context

    def serve(self, request, *args, **kwargs):
        from cms import pagecache
        from ideas.insight.services import service_page_view_record

        response = super().serve(request, *args, **kwargs)
        # A write, so not in get_context (previews render that too); once per visitor a day.
        service_page_view_record(request=request, page=self)
        if pagecache.rendering_for_cache(request):
            response.page_cache_page_id = self.pk  # cms.pagecache may keep it, with its slots
        return response


class ServicePageRelatedService(Orderable):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="related_service_links")
    service = models.ForeignKey(
        ServicePage, verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("service", "cms.ServicePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related service")
        constraints = [
            models.UniqueConstraint(fields=["page", "service"], name="related_service_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page_id} → {self.service_id}"


class StandardPage(RoutedRestrictionsMixin, LocaleFallbackMixin, Page):
    """Plain content: about the platform, accessibility statement, privacy notice."""

    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    body = RichTextField(_("body"), features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(RoutedRestrictionsMixin, LocaleFallbackMixin, Page):
    """ "You said, we did": what changed because people took part."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(selectors.news_in(self), 10)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context["page_obj"] = page_obj
        return context


class NewsPage(RoutedRestrictionsMixin, Page):
    """A "You said, we did" story: what people asked for, what changed, where to follow it."""

    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=300)
    you_said = RichTextField(_("you said"), features=RICH_FEATURES)
    we_did = RichTextField(_("we did"), features=RICH_FEATURES)
    changes = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("what changed"),
        blank=True,
        help_text=_("Links to the backlog items or roadmap entries this story reports on."),
    )
    services = ParentalManyToManyField(
        "cms.ServicePage", verbose_name=_("services"), blank=True, related_name="news_pages"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("you_said"),
        FieldPanel("we_did"),
        FieldPanel("changes"),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("you_said"),
        index.SearchField("we_did"),
    ]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("you_said"),
        APIField("we_did"),
        APIField("changes"),
    ]

    class Meta:
        verbose_name = _("news story")
        verbose_name_plural = _("news stories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["linked_services"] = list(
            self.services.live().filter(locale_id=self.locale_id).only("title", "url_path")
        )
        return context


class CampaignPage(RoutedRestrictionsMixin, Page):
    """A brand-led landing page that sells one service and sends people to it."""

    hero_title = models.CharField(_("headline"), max_length=120)
    hero_text = models.TextField(_("standfirst"), max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service = models.ForeignKey(
        ServicePage,
        verbose_name=_("service"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("The service this campaign sends people to."),
    )
    call_to_action = models.CharField(
        _("button text"),
        max_length=60,
        blank=True,
        help_text=_("Leave empty for “Find out how to use this service”."),
    )
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"), blank=True)
    brand_values = ParentalManyToManyField(
        BrandValue, verbose_name=_("brand values"), blank=True, related_name="campaigns"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        PageChooserPanel("service", "cms.ServicePage"),
        FieldPanel("call_to_action"),
        FieldPanel("body"),
        FieldPanel("brand_values", widget=forms.CheckboxSelectMultiple),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("hero_text")]
    api_fields = [APIField("hero_title"), APIField("hero_text"), APIField("body")]

    class Meta:
        verbose_name = _("campaign page")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.campaign_page_context(self))
        return context
