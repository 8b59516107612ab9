"""URL names the rest of the site links to (``cms:services`` in the main navigation)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("services/", views.services, name="services"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:page_id>/send/", views.campaign_send, name="campaign_send"),
]
