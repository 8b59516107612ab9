"""Short surveys by text: SURVEY <code> lists the questions, SURVEY <code> 1 4 answers."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from community.sms.tests.factories import PhoneNumberFactory, text_in
from community.tests.factories import PersonaFactory
from ideas.research.models import SurveyResponse
from ideas.research.tests.factories import make_survey

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)

SHORT = [
    (
        "choice",
        {
            "key": "got_it",
            "text": "Did you get what you needed?",
            "required": True,
            "options": ["Yes", "No"],
        },
    ),
    (
        "choice",
        {
            "key": "why",
            "text": "What went wrong?",
            "required": True,
            "options": ["Too slow", "Wrong info"],
            "only_if_question": "got_it",
            "only_if_answer": "No",
        },
    ),
    ("scale", {"key": "ease", "text": "How easy?", "required": True, "low": 1, "high": 5}),
    ("free_text", {"key": "more", "text": "Anything else?", "required": False}),
]


@pytest.fixture
def texter():
    persona = PersonaFactory(display_name="Rosa M.")
    return PhoneNumberFactory(user=persona.account, number="+447700900123")


def _text(client, capture, number, body):
    with capture(execute=True):
        response = text_in(client, sender=number, body=body, message_id=str(next(_ids)))
    assert response.status_code == 204


def test_a_citizen_reads_the_questions_then_answers_with_digits_once(
    client, sms, texter, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    survey = make_survey(questions=SHORT, sms_code="BUS", title="Bus survey")
    _text(client, capture, texter.number, "survey bus")
    assert "Q1 Did you get what you needed? 1=Yes, 2=No" in sms[-1]["body"]
    assert "Q3 How easy? 1-5" in sms[-1]["body"]
    assert not SurveyResponse.objects.exists()

    _text(client, capture, texter.number, "SURVEY BUS 2 1 4")
    response = SurveyResponse.objects.get()
    assert response.answers == {"got_it": "No", "why": "Too slow", "ease": 4}
    assert response.channel == "sms" and response.account == texter.user
    assert "your answers to “Bus survey” were saved" in sms[-1]["body"]

    _text(client, capture, texter.number, "SURVEY BUS 1 5")
    assert "already answered" in sms[-1]["body"]
    assert SurveyResponse.objects.get().answers["ease"] == 4
    assert survey.pk == response.survey_id


def test_a_skipped_conditional_question_takes_no_number(
    client, sms, texter, django_capture_on_commit_callbacks
):
    make_survey(questions=SHORT, sms_code="BUS")
    _text(client, django_capture_on_commit_callbacks, texter.number, "SURVEY BUS 1 5")
    assert SurveyResponse.objects.get().answers == {"got_it": "Yes", "ease": 5}


@pytest.mark.parametrize(
    "body,reply",
    [
        ("SURVEY BUS 3 4", "takes a number from 1 to 2"),
        ("SURVEY BUS 1 9", "not valid"),
        ("SURVEY BUS 1", "not valid"),
        ("SURVEY BUS 1 4 4", "more numbers than there are questions"),
        ("SURVEY BUS yes 4", "numbers only"),
        ("SURVEY TRAM 1 4", "do not know the survey TRAM"),
    ],
)
def test_bad_answers_by_text_are_explained_and_save_nothing(
    client, sms, texter, django_capture_on_commit_callbacks, body, reply
):
    make_survey(questions=SHORT, sms_code="BUS")
    _text(client, django_capture_on_commit_callbacks, texter.number, body)
    assert reply in sms[-1]["body"]
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_says_so_by_text(client, sms, texter, django_capture_on_commit_callbacks):
    now = timezone.now()
    make_survey(
        questions=SHORT,
        sms_code="BUS",
        opens_at=now - timedelta(days=9),
        closes_at=now - timedelta(days=1),
    )
    _text(client, django_capture_on_commit_callbacks, texter.number, "SURVEY BUS 1 4")
    assert "has closed" in sms[-1]["body"]
    assert not SurveyResponse.objects.exists()


def test_a_survey_with_a_required_free_text_question_is_web_only_by_text(
    client, sms, texter, django_capture_on_commit_callbacks
):
    make_survey(sms_code="WEB")  # the default questions have a required conditional free text
    _text(client, django_capture_on_commit_callbacks, texter.number, "SURVEY WEB")
    assert "only be answered on the website" in sms[-1]["body"]
