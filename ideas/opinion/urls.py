from django.urls import path

from ideas.opinion import views

app_name = "opinion"

urlpatterns = [
    path("<slug:kind>/<int:subject_id>/map/", views.map_partial, name="map_partial"),
]
