from django.urls import path

from community.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="reveal"),
    path("report/<str:label>/<int:pk>/", views.report, name="report"),
    path("mine/", views.my_actions, name="my_actions"),
    path("appeal/<int:pk>/", views.appeal, name="appeal"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/", views.appeal_decide, name="appeal_decide"),
    path("transparency/", views.transparency, name="transparency"),
]
