from django.urls import path

from ideas.conversations import views

app_name = "conversations"

urlpatterns = [
    path("new/<slug:agency>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/statements/", views.statement_add, name="statement_add"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/close/", views.close, name="close"),
    path("statements/<int:pk>/promote/", views.promote, name="promote"),
]
