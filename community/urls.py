"""Account, privacy, notification, follow and public persona pages.

Mounted at the site root before Wagtail's catch-all; account pages sit beside allauth's
under ``accounts/``.
"""

from django.urls import path

from community import views
from community.participation import views as participation_views

app_name = "community"

urlpatterns = [
    path("accounts/", views.account_home, name="account"),
    path("accounts/personas/", views.persona_list, name="personas"),
    path("accounts/personas/<slug:slug>/edit/", views.persona_edit, name="persona_edit"),
    path(
        "accounts/personas/<slug:slug>/primary/",
        views.persona_make_primary,
        name="persona_make_primary",
    ),
    path("accounts/privacy/", views.privacy_dashboard, name="privacy"),
    path("accounts/privacy/consents/", views.consents_update, name="consents_update"),
    path(
        "accounts/privacy/segments/",
        participation_views.segments_update,
        name="segments_update",
    ),
    path("accounts/privacy/export.json", views.export_json, name="export_json"),
    path("accounts/privacy/contributions.csv", views.contributions_csv, name="contributions_csv"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("following/", views.following, name="following"),
    path("follow/", views.follow_toggle, name="follow"),
    path("people/<slug:slug>/", views.persona_detail, name="persona_detail"),
]
