from django.urls import path

from community.places import views

app_name = "places"

urlpatterns = [
    path("", views.places_map, name="map"),
]
