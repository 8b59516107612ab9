from django.urls import path

from ideas.backlog import roadmap

app_name = "roadmap"

urlpatterns = [
    path("", roadmap.index, name="index"),
    path("feed/", roadmap.RoadmapFeed(), name="feed"),
    path("items/<int:pk>/", roadmap.item, name="item"),
    path("<slug:slug>/", roadmap.agency_roadmap, name="agency"),
    path("<slug:slug>/feed/", roadmap.RoadmapFeed(), name="agency_feed"),
]
