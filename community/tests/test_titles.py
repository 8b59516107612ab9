"""One title rule (``community.text.clean_title``) for ideas, challenges, backlog items and
exchange posts: one line of plain text within the caller's limits, errors naming the field."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from community.text import clean_title, looks_like_html


def _error(title: str, **options) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean_title(title, **options)
    return caught.value.message_dict


def test_whitespace_runs_tabs_and_newlines_become_single_spaces():
    assert clean_title("  More \t benches\n\n in   the park  ", max_length=40) == (
        "More benches in the park"
    )


def test_control_characters_never_reach_the_title():
    assert clean_title("Bus\x00 stop\x07 shelter\x1b[31m\x7f", max_length=40) == (
        "Bus stop shelter [31m"
    )
    # written as character references: decoded, then dropped like the characters themselves
    assert clean_title("Bus&#7;stop&#x1b;&#10;shelter&#x202e;", max_length=40) == "Busstop shelter"


def test_bidirectional_overrides_cannot_reorder_what_follows():
    cleaned = clean_title("Report\u202egnp.exe \u2066here\u2069", max_length=40)
    assert cleaned == "Report gnp.exe here"


def test_entities_are_decoded_to_the_text_people_typed():
    assert clean_title("Fish &amp; chips stall", max_length=40) == "Fish & chips stall"


@pytest.mark.parametrize("title", ["", "   ", "\t\n", "\x00\x01", None])
def test_an_empty_title_is_refused_naming_the_field(title):
    assert _error(title, max_length=40) == {"title": ["Fill in “Title”: a few words are enough."]}


def test_html_is_refused_not_silently_stripped():
    assert _error("Shade <b>now</b>", max_length=40) == {
        "title": ["“Title” is plain text: remove the HTML."]
    }


def test_too_long_says_the_limit_and_the_length_after_cleaning():
    assert clean_title("a" * 10, max_length=10) == "a" * 10
    assert _error("a" * 11, max_length=10) == {
        "title": ["Keep “Title” to at most 10 characters (it has 11)."]
    }
    # spaces collapsed first: what counts is what will be shown
    assert clean_title("a    " * 5, max_length=10) == "a a a a a"


def test_too_short_when_the_caller_sets_a_minimum():
    assert _error("Help", max_length=120, min_length=5) == {
        "title": ["Make “Title” at least 5 characters long (it has 4)."]
    }
    assert clean_title("Help!", max_length=120, min_length=5) == "Help!"


def test_the_message_names_the_callers_field_and_label():
    errors = _error("", field="question", label="Question", max_length=200)
    assert errors == {"question": ["Fill in “Question”: a few words are enough."]}
    errors = _error("x" * 201, field="question", label="Question", max_length=200)
    assert "“Question”" in errors["question"][0]


@given(st.text(max_size=80))
def test_any_accepted_title_is_one_line_of_plain_text_within_the_limit(raw):
    try:
        title = clean_title(raw, max_length=60)
    except ValidationError:
        return
    assert 1 <= len(title) <= 60
    assert title == title.strip() and "  " not in title
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in title)
    assert not looks_like_html(title)
