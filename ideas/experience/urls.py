from django.urls import path

from ideas.experience import views

app_name = "experience"

urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:page_id>/feedback/", views.feedback, name="feedback"),
    path("services/<int:page_id>/comments/", views.comments, name="comments"),
    path("themes/<int:pk>/", views.theme, name="theme"),
    path("counter/", views.counter, name="counter"),
    path("counter/follow-up/", views.follow_up, name="follow_up"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export/<slug:table>.csv", views.export, name="export"),
]
