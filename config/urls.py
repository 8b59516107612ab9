"""Root URLs: each app's URLs, the admins, health, accounts, then Wagtail's page tree last."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from community import oidc
from community import views as community_views
from config import health

handler429 = "community.ratelimits.handler429"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # The language switch also saves a signed-in person's choice (community.views.language_set).
    path("i18n/setlang/", community_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("community.sms.urls")),
    # The development phone (community.sms.dev): every request answers 404 unless DEBUG is on
    # and the console SMS gateway is in use (checked per request, not when URLs load).
    path("dev/", include("community.sms.dev_urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # allauth's OpenID Connect callback, plus what sign-out needs to end the provider session.
    path("accounts/oidc/<str:provider_id>/login/callback/", oidc.callback),
    path("accounts/", include("allauth.urls")),
    path("", include("community.urls")),
    path("", include("community.outreach.urls")),
    path("exchange/", include("community.exchange.urls")),
    path("search/", include("community.search.urls")),
    path("ideas/", include("ideas.urls")),
    path("places/", include("community.places.urls")),
    path("moderation/", include("community.moderation.urls")),
    path("backlog/", include("ideas.backlog.urls")),
    path("roadmap/", include("ideas.backlog.roadmap_urls")),
    path("sessions/", include("ideas.codesign.urls")),
    path("insight/", include("ideas.insight.urls")),
    path("experience/", include("ideas.experience.urls")),
    path("opinion/", include("ideas.opinion.urls")),
    path("conversations/", include("ideas.conversations.urls")),
    path("budgets/", include("ideas.budgeting.urls")),
    path("research/", include("ideas.research.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.web_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("cms.urls")),
    path("", include(wagtail_urls)),
]
