from django.urls import path

from ideas.codesign import views

app_name = "codesign"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/<slug:agency>/", views.session_create, name="session_create"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/act/", views.board_action, name="act"),
    path("<int:pk>/calendar.ics", views.session_calendar, name="calendar"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/summary.md", views.export_markdown, name="export_md"),
    path("<int:pk>/summary.csv", views.export_csv, name="export_csv"),
    path("outcomes/<int:pk>/promote/", views.outcome_promote, name="outcome_promote"),
]
