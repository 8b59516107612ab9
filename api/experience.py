"""Open data on how services are experienced: monthly figures per service and channel
(``/api/v1/service-feedback-months/``, and in the bulk download). Suppressed as on the
agencies' dashboards: a month, service and channel with 1-4 answers shows no count and no
averages. No text and no people: free-text answers are never published."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from api.base import FiguresViewSet
from ideas.experience import selectors
from ideas.experience.models import Feedback


class ServiceFeedbackMonthSerializer(serializers.Serializer):
    """Answers about one service on one channel in one calendar month."""

    month = serializers.CharField(read_only=True, help_text=_("The month, YYYY-MM."))
    service_id = serializers.IntegerField(
        read_only=True, help_text=_("The service page's id (its default-language page).")
    )
    service = serializers.CharField(read_only=True, help_text=_("The service's title."))
    agency_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The responsible agency's id.")
    )
    channel = serializers.CharField(
        read_only=True, help_text=_("web, sms (a digit answering a follow-up text) or counter.")
    )
    responses = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Answers (one per person per service per day); null when fewer than 5."),
    )
    satisfaction = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("Mean satisfaction, 1 to 5; null when suppressed."),
    )
    got_what_needed_percent = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("Percent who got what they needed; null when suppressed or not asked."),
    )


class ServiceFeedbackMonthViewSet(FiguresViewSet):
    """Monthly service-experience figures per service and channel, suppressed. No text, no
    people."""

    serializer_class = ServiceFeedbackMonthSerializer
    dataset = "service_feedback_months"
    dataset_title = gettext_lazy("Service experience by month")
    dataset_description = gettext_lazy(
        "Answers about each service per channel and month: how many, mean satisfaction (1-5) and the share who got what they needed. Cells of fewer than 5 answers are suppressed. No text and no people."
    )

    @staticmethod
    def last_change():
        return Feedback.objects.order_by("-created_at").values_list("created_at", flat=True).first()

    @staticmethod
    def rows():
        return [
            {k: v for k, v in row.items() if k != "responses_text"} for row in selectors.monthly()
        ]
