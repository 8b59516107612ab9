"""The websocket routing table: like a root urls.py, it imports each app's consumers."""

from django.urls import path

from ideas.consumers import BoardConsumer
from realtime.health import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    path("ws/boards/<int:challenge_id>/", BoardConsumer.as_asgi()),
]
