from django.urls import path

from ideas.research import views

app_name = "research"

urlpatterns = [
    path("panel/", views.panel, name="panel"),
    path("panel/leave/", views.panel_leave, name="panel_leave"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("recruitment/", views.recruitment_list, name="recruitment_list"),
    path("recruitment/new/<slug:agency>/", views.recruitment_create, name="recruitment_create"),
    path("recruitment/<int:pk>/", views.recruitment_detail, name="recruitment"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
