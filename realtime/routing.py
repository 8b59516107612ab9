"""The websocket routing table: like a root urls.py, it imports each app's consumers."""

from django.urls import path

from community.consumers import NotificationsConsumer
from community.exchange.consumers import ConversationConsumer
from ideas.backlog.consumers import BacklogConsumer
from ideas.budgeting.consumers import TurnoutConsumer
from ideas.codesign.consumers import SessionConsumer
from ideas.consumers import BoardConsumer
from ideas.experience.consumers import ExperienceConsumer
from ideas.insight.consumers import InsightConsumer
from ideas.opinion.consumers import OpinionMapConsumer
from realtime.health import HealthConsumer

websocket_urlpatterns = [
    path("ws/health/", HealthConsumer.as_asgi()),
    path("ws/notifications/", NotificationsConsumer.as_asgi()),
    path("ws/exchange/<int:exchange_id>/", ConversationConsumer.as_asgi()),
    path("ws/boards/<int:challenge_id>/", BoardConsumer.as_asgi()),
    path("ws/backlog/<int:agency_id>/", BacklogConsumer.as_asgi()),
    path("ws/sessions/<int:session_id>/", SessionConsumer.as_asgi()),
    path("ws/insight/<int:agency_id>/", InsightConsumer.as_asgi()),
    path("ws/experience/<int:agency_id>/", ExperienceConsumer.as_asgi()),
    path("ws/opinion/<slug:kind>/<int:subject_id>/", OpinionMapConsumer.as_asgi()),
    path("ws/budgets/<int:budget_id>/turnout/", TurnoutConsumer.as_asgi()),
]
