"""Surveys' rules: open and close, once per person, conditional questions, consent, optional
segment questions, validation per type; results equal hand-computed counts with suppression;
the CSV export; the editor's checks on a survey's questions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.models import Role
from community.moderation.models import ModerationCase
from community.participation.recorder import participant_key
from community.tests.factories import PersonaFactory, UserFactory, staff
from ideas.research import actions, selectors
from ideas.research.models import SurveyResponse
from ideas.research.surveys import clean_answers, definition_errors, questions_from_stream
from ideas.research.tests.factories import make_survey

pytestmark = pytest.mark.django_db

GOOD = {"got_it": ["Yes"], "ease": ["4"], "channels": ["Web", "Phone"]}


def answer(survey, key="visitor-1", answers=None, consent=True, user=None, segments=None):
    return actions.survey_answer(
        survey=survey,
        user=user,
        respondent=key,
        answers=GOOD if answers is None else answers,
        consent=consent,
        segments=segments,
    )


def test_an_open_survey_records_the_typed_answers():
    survey = make_survey()
    response = answer(survey)
    assert response.answers == {"got_it": "Yes", "ease": 4, "channels": ["Web", "Phone"]}
    assert response.consent_version


@pytest.mark.parametrize(
    "opens,closes",
    [(timedelta(days=1), timedelta(days=2)), (-timedelta(days=2), -timedelta(days=1))],
)
def test_a_survey_not_yet_open_or_closed_refuses_answers_and_saves_nothing(opens, closes):
    now = timezone.now()
    survey = make_survey(opens_at=now + opens, closes_at=now + closes)
    with pytest.raises(ValidationError, match=r"(not open yet|has closed)"):
        answer(survey)
    assert not SurveyResponse.objects.exists()


def test_answering_twice_is_refused_with_a_message_and_the_first_answers_stand():
    survey = make_survey()
    answer(survey, answers={"got_it": ["Yes"], "ease": ["5"]})
    with pytest.raises(ValidationError, match="already answered"):
        answer(survey, answers={"got_it": ["Yes"], "ease": ["1"]})
    assert list(SurveyResponse.objects.values_list("answers", flat=True)) == [
        {"got_it": "Yes", "ease": 5}
    ]


def test_the_database_allows_one_response_per_person_even_past_the_check():
    from django.db import IntegrityError, transaction

    survey = make_survey()
    answer(survey, key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            survey=survey, respondent="k", answers={}, consent_version="x"
        )


def test_consent_is_required():
    survey = make_survey()
    with pytest.raises(ValidationError) as exc:
        answer(survey, consent=False)
    assert "consent" in exc.value.error_dict
    assert not SurveyResponse.objects.exists()


def test_a_conditional_question_is_required_only_when_its_condition_holds():
    survey = make_survey()
    with pytest.raises(ValidationError) as exc:
        answer(survey, answers={"got_it": ["No"], "ease": ["2"]})
    assert set(exc.value.error_dict) == {"why_not"}
    response = answer(survey, answers={"got_it": ["No"], "why_not": ["Too long"], "ease": ["2"]})
    assert response.answers["why_not"] == "Too long"


def test_an_answer_to_a_question_that_does_not_apply_is_dropped():
    survey = make_survey()
    response = answer(survey, answers={"got_it": ["Yes"], "why_not": ["ignored"], "ease": ["3"]})
    assert "why_not" not in response.answers


@pytest.mark.parametrize(
    "answers,field",
    [
        ({"got_it": ["Maybe"], "ease": ["3"]}, "got_it"),
        ({"got_it": ["Yes"], "ease": ["6"]}, "ease"),
        ({"got_it": ["Yes"], "ease": ["x"]}, "ease"),
        ({"got_it": ["Yes"], "ease": ["3"], "channels": ["Pigeon"]}, "channels"),
        ({"got_it": ["No"], "why_not": ["x" * 1001], "ease": ["3"]}, "why_not"),
        ({"ease": ["3"]}, "got_it"),
    ],
)
def test_each_question_type_is_validated_and_nothing_is_saved(answers, field):
    survey = make_survey()
    with pytest.raises(ValidationError) as exc:
        answer(survey, answers=answers)
    assert field in exc.value.error_dict
    assert not SurveyResponse.objects.exists()


def test_segment_questions_are_optional_checked_and_kept_only_when_asked():
    survey = make_survey(ask_age_band=True, ask_usage=True)
    assert answer(survey, key="a").age_band == ""
    kept = answer(
        survey, key="b", segments={"age_band": "25_34", "area": "north", "usage": "phone"}
    )
    assert (kept.age_band, kept.area, kept.usage) == ("25_34", "", "phone")
    with pytest.raises(ValidationError) as exc:
        answer(survey, key="c", segments={"age_band": "ancient"})
    assert "age_band" in exc.value.error_dict


def test_free_text_is_screened_and_a_held_answer_counts_but_its_text_is_hidden():
    survey = make_survey()
    text = "Cheap pills at https://spam.biz/win"
    response = answer(survey, answers={"got_it": ["No"], "why_not": [text], "ease": ["1"]})
    response.refresh_from_db()
    case = ModerationCase.objects.get(object_id=response.pk)
    assert case.held and response.is_hidden
    total, results = selectors.survey_results(survey)
    why_not = next(r for r in results if r.question.key == "why_not")
    assert total == 1 and why_not.answered == 1 and why_not.texts == []


def test_a_signed_in_answer_is_linked_to_the_account_for_export():
    persona = PersonaFactory()
    survey = make_survey()
    response = answer(survey, key=participant_key(persona.account.pk), user=persona.account)
    assert response.account == persona.account and response.persona == persona


def _plant(survey, yes: int, no: int, eases: list[int]):
    n = 0
    for i in range(yes):
        answer(
            survey, key=f"y{i}", answers={"got_it": ["Yes"], "ease": [str(eases[n % len(eases)])]}
        )
        n += 1
    for i in range(no):
        answer(
            survey,
            key=f"n{i}",
            answers={
                "got_it": ["No"],
                "why_not": [f"reason {i}"],
                "ease": [str(eases[n % len(eases)])],
            },
        )
        n += 1


def test_results_equal_hand_computed_counts_with_small_cells_suppressed():
    survey = make_survey()
    # 9 yes, 3 no; ease: 5,5,4,4,4,4,4,4,2,2,2,2 -> 5: 2, 4: 6, 2: 4
    eases = [5, 5, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2]
    for i, e in enumerate(eases):
        got = "Yes" if i < 9 else "No"
        extra = {"why_not": [f"reason {i}"]} if got == "No" else {}
        answer(survey, key=f"p{i}", answers={"got_it": [got], "ease": [str(e)], **extra})
    total, results = selectors.survey_results(survey)
    by_key = {r.question.key: r for r in results}
    assert total == 12
    got = {row.label: (row.cell.value, row.cell.shown) for row in by_key["got_it"].rows}
    # "No" (3) is primary-suppressed; "Yes" (9) is then the only other non-zero cell: hidden too.
    assert got == {"Yes": (9, False), "No": (3, False)}
    ease = {row.label: (row.cell.value, row.cell.shown) for row in by_key["ease"].rows}
    assert ease == {
        "1": (0, True),
        "2": (4, False),
        "3": (0, True),
        "4": (6, True),
        "5": (2, False),
    }
    assert by_key["ease"].average == round((5 * 2 + 4 * 6 + 2 * 4) / 12, 2)
    assert by_key["why_not"].answered == 3
    assert sorted(by_key["why_not"].texts) == ["reason 10", "reason 11", "reason 9"]


def test_results_page_and_csv_show_the_suppressed_figures_to_agency_staff_only(client):
    survey = make_survey()
    for i in range(6):
        answer(survey, key=f"p{i}", answers={"got_it": ["Yes"], "ease": ["4"]})
    answer(
        survey, key="evil", answers={"got_it": ["No"], "why_not": ["=HYPERLINK(1)"], "ease": ["4"]}
    )
    client.force_login(UserFactory())
    assert client.get(f"/research/surveys/{survey.pk}/results/").status_code == 404
    assert client.get(f"/research/surveys/{survey.pk}/results.csv").status_code == 404
    client.force_login(staff(Role.EDITOR, survey.agency))
    page = client.get(f"/research/surveys/{survey.pk}/results/")
    assert page.status_code == 200 and b"fewer than 5" in page.content
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/research/surveys/{survey.pk}/results.csv").content.decode())
        )
    )
    got = {(r[0], r[4]): r[5] for r in rows if r[0] == "got_it"}
    assert got == {("got_it", "Yes"): "not shown", ("got_it", "No"): "fewer than 5"}
    ease4 = next(r for r in rows if r[0] == "ease" and r[4] == "4")
    assert ease4[5] == "7"
    assert ["", "", "", "", "'=HYPERLINK(1)", "", ""] in rows


def test_an_editor_cannot_save_a_condition_on_a_later_or_unknown_question_or_answer():
    class B:
        def __init__(self, t, v):
            self.block_type, self.value = t, v

    qs = questions_from_stream(
        [
            B(
                "choice",
                {
                    "key": "a",
                    "text": "A",
                    "options": ["x", "y"],
                    "only_if_question": "b",
                    "only_if_answer": "x",
                },
            ),
            B(
                "choice",
                {
                    "key": "b",
                    "text": "B",
                    "options": ["x", "y"],
                    "only_if_question": "a",
                    "only_if_answer": "z",
                },
            ),
            B("free_text", {"key": "b", "text": "again"}),
        ]
    )
    errors = " ".join(definition_errors(qs))
    assert "not an earlier question" in errors and "“z” is not an answer" in errors
    assert "Two questions have the key" in errors


def test_clean_answers_skips_a_chain_of_conditions_in_one_pass():
    class B:
        def __init__(self, t, v):
            self.block_type, self.value = t, v

    qs = questions_from_stream(
        [
            B("choice", {"key": "a", "text": "A", "options": ["x", "y"]}),
            B(
                "choice",
                {
                    "key": "b",
                    "text": "B",
                    "options": ["x", "y"],
                    "only_if_question": "a",
                    "only_if_answer": "x",
                },
            ),
            B(
                "free_text",
                {"key": "c", "text": "C", "only_if_question": "b", "only_if_answer": "y"},
            ),
        ]
    )
    assert clean_answers(qs, {"a": ["y"], "b": ["y"], "c": ["hi"]}).answers == {"a": "y"}
    assert clean_answers(qs, {"a": ["x"], "b": ["y"]}).errors == {
        "c": "Please answer this question."
    }
