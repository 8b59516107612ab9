"""The survey page without JavaScript: every question shown, server validation, a clear
message when closed or answered twice, rate limits; the CMS can create a survey."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.tests.factories import make_home, make_index
from ideas.research.models import SurveyPage, SurveyResponse
from ideas.research.tests.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    home = make_home()
    return make_survey(parent=home, ask_age_band=True)


def test_the_page_shows_every_question_the_consent_and_which_are_conditional(client, survey):
    page = client.get(survey.url).content.decode()
    assert "Did you get what you needed?" in page and "What was missing?" in page
    assert "Answer only if you answered “No” to question 1." in page
    assert survey.consent_text in page
    assert 'name="age_band"' in page


def test_an_answer_is_saved_then_the_page_thanks_and_refuses_a_second_one(client, survey):
    data = {"got_it": "Yes", "ease": "4", "consent": "on"}
    response = client.post(survey.url, data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your answers were saved" in page
    again = client.post(survey.url, {**data, "ease": "1"})
    assert again.status_code == 400 and "already answered" in again.content.decode()
    assert list(SurveyResponse.objects.values_list("answers", flat=True)) == [
        {"got_it": "Yes", "ease": 4}
    ]


def test_a_missing_answer_is_shown_next_to_its_question_and_kept_answers_stay(client, survey):
    response = client.post(survey.url, {"got_it": "No", "ease": "4", "consent": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please answer this question." in page
    assert 'value="No" checked' in page or 'value="No"\n' in page or "checked" in page
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_shows_a_message_and_no_form(client):
    home = make_home()
    now = timezone.now()
    survey = make_survey(
        parent=home, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)
    )
    page = client.get(survey.url).content.decode()
    assert "This survey has closed" in page and "Send my answers" not in page
    assert (
        client.post(survey.url, {"got_it": "Yes", "ease": "4", "consent": "on"}).status_code == 400
    )
    assert not SurveyResponse.objects.exists()


def test_answers_are_rate_limited_per_visitor(client, survey, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "write": "1/h"}
    from django.core.cache import cache

    cache.clear()
    client.post(survey.url, {"got_it": "Yes", "ease": "4", "consent": "on"})
    assert (
        client.post(survey.url, {"got_it": "Yes", "ease": "4", "consent": "on"}).status_code == 429
    )


def test_the_cms_offers_a_survey_under_the_home_page_and_the_services_index():
    home = make_home()
    index = make_index(home)
    assert SurveyPage in home.specific_class.allowed_subpage_models()
    assert SurveyPage in index.specific_class.allowed_subpage_models()
    assert SurveyPage.can_create_at(home)
