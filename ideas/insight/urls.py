from django.urls import path

from ideas.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.index, name="index"),
    path("challenges/<int:pk>/opinion-map/", views.opinion_map, name="opinion_map"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export/<slug:table>.csv", views.export, name="export"),
]
