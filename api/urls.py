"""/api/v1/: the open-data router, its OpenAPI schema and browsable docs.

To publish something new: write a serialiser and an :class:`api.base.OpenDataViewSet`
subclass, then add one ``router.register(...)`` line here. Schema, docs, bulk download and
the personal-data leak test pick it up from the router.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import budgeting, exceptions, experience, places, views

app_name = "api"


class Router(DefaultRouter):
    include_root_view = True
    include_format_suffixes = False


router = Router(trailing_slash="/")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("challenges", views.ChallengeViewSet, basename="challenge")
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("comments", views.CommentViewSet, basename="comment")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("backlog-items", views.BacklogItemViewSet, basename="backlog-item")
router.register("backlog-updates", views.BacklogUpdateViewSet, basename="backlog-update")
router.register("exchange-posts", views.ExchangePostViewSet, basename="exchange-post")
router.register("session-summaries", views.SessionSummaryViewSet, basename="session-summary")
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("budget-processes", budgeting.BudgetProcessViewSet, basename="budget-process")
router.register("budgets", budgeting.BudgetViewSet, basename="budget")
router.register("budget-projects", budgeting.BudgetProjectViewSet, basename="budget-project")
router.register("budget-results", budgeting.BudgetResultViewSet, basename="budget-result")
router.register("budget-ballots", budgeting.BudgetBallotViewSet, basename="budget-ballot")
router.register("tags", views.TagViewSet, basename="tag")
router.register("places", places.PlaceViewSet, basename="place")
router.register("districts", places.DistrictViewSet, basename="district")
router.register("moderation-transparency", views.TransparencyViewSet, basename="transparency")
router.register(
    "service-feedback-months",
    experience.ServiceFeedbackMonthViewSet,
    basename="service-feedback-month",
)
router.register("search", views.SearchViewSet, basename="search")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # The split view serves its start-up script as a file: no inline script, so the
        # site's CSP (script-src 'self') holds. Assets come from drf-spectacular-sidecar.
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    re_path(
        r"^conversations/(?P<pk>[0-9]+)/polis/(?P<name>comments|participants-votes|summary)\.csv$",
        views.ConversationViewSet.as_view({"get": "polis"}),
        name="conversation-polis",
    ),
    re_path(
        r"^budgets/(?P<pk>[0-9]+)/pabulib\.pb$",
        budgeting.BudgetViewSet.as_view({"get": "pabulib"}),
        name="budget-pabulib",
    ),
    *router.urls,
    re_path(r"^(?P<rest>.*)$", exceptions.not_found),
]
