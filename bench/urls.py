"""The site's URLs plus ``/bench/`` (the trivial view and the HTTP relay trigger)."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/", include("bench.endpoints")), *site_urlpatterns]
