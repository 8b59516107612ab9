"""Service experience as open data: ``/api/v1/service-feedback-months/`` publishes finished
months per service and channel, suppressed like the dashboards, with no text and no people."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ideas.experience.models import Feedback
from ideas.experience.tests.factories import FeedbackFactory, service_page

pytestmark = pytest.mark.django_db
URL = "/api/v1/service-feedback-months/"


def _last_month() -> datetime:
    first = timezone.localtime().replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return first - timedelta(days=10)


def _answers(page, channel: str, scores: list[int], when: datetime) -> None:
    for i, score in enumerate(scores):
        feedback = FeedbackFactory(
            service_page=page.page_ptr,
            channel=channel,
            satisfaction=score,
            got_what_needed=i % 2 == 0,
            comment="My neighbour Ana Lopez at 12 High Street",
            day=when.date() - timedelta(days=i),
        )
        Feedback.objects.filter(pk=feedback.pk).update(created_at=when - timedelta(days=i))


def test_finished_months_are_published_per_channel_with_small_cells_suppressed():
    page = service_page()
    when = _last_month()
    _answers(page, "web", [5, 4, 3, 2, 1, 5], when)  # 6 answers: shown
    _answers(page, "counter", [1, 2], when)  # 2 answers: suppressed
    _answers(page, "web", [5, 5, 5, 5, 5], timezone.now())  # this month: not yet published

    response = APIClient().get(URL)

    assert response.status_code == 200
    rows = {row["channel"]: row for row in response.json()}
    assert set(rows) == {"web", "counter"}
    web = rows["web"]
    assert web["month"] == when.strftime("%Y-%m")
    assert web["service_id"] == page.pk
    assert web["responses"] == 6
    assert web["satisfaction"] == pytest.approx(20 / 6, abs=0.01)
    assert web["got_what_needed_percent"] == pytest.approx(50.0, abs=0.1)
    counter = rows["counter"]
    assert counter["responses"] is None
    assert counter["satisfaction"] is None
    assert counter["got_what_needed_percent"] is None
    assert "Ana Lopez" not in response.content.decode()
    assert "respondent" not in response.content.decode()


def test_an_unknown_parameter_is_refused_and_a_repeat_answers_304():
    client = APIClient()
    refused = client.get(URL, {"service": "1"})
    assert refused.status_code == 400
    assert "service" in refused.json()["fields"]
    first = client.get(URL)
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
