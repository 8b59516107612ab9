"""Form errors name the field and the limit in plain words, and the form keeps the input."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from community.formerrors import apply_validation_error
from community.forms import AccountDeleteForm, PersonaForm
from community.models import User
from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_delete_account_checkbox_says_what_to_tick():
    user = UserFactory()
    form = AccountDeleteForm({"password": "x"}, user=user)
    assert not form.is_valid()
    assert form.errors["confirm"] == ["Tick the box to confirm you want to delete your account."]


def test_too_long_text_names_the_field_the_limit_and_the_length():
    from ideas.forms import IdeaForm
    from ideas.models import TITLE_MAX

    persona = PersonaFactory()
    title = "a" * (TITLE_MAX + 12)
    form = IdeaForm({"persona": persona.pk, "title": title, "body": "b"}, user=persona.account)
    assert not form.is_valid()
    assert form.errors["title"] == [
        f"Keep “Title” to {TITLE_MAX} characters or fewer (you wrote {TITLE_MAX + 12})."
    ]


def test_empty_required_text_names_the_field():
    form = PersonaForm({"display_name": ""}, user=UserFactory())
    assert not form.is_valid()
    assert form.errors["display_name"] == ["Fill in “Public name”: it cannot be empty."]


def test_hidden_control_characters_are_refused_by_name():
    form = PersonaForm({"display_name": "Ana\x00"}, user=UserFactory())
    assert not form.is_valid()
    assert "“Public name” holds a hidden control character" in form.errors["display_name"][0]


def test_a_form_keeps_its_own_wording_for_a_field():
    from community.sms.dev import DevTextForm

    form = DevTextForm({"number": "+447700900555", "body": ""})
    assert not form.is_valid()
    assert form.errors["body"] == ["Type the text to send."]


def test_delete_page_shows_the_message_next_to_the_box_and_deletes_nothing(client):
    user = UserFactory(password="correct-horse-battery")
    client.force_login(user)
    response = client.post(
        reverse("community:account_delete"), {"password": "correct-horse-battery"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_confirm_error"' in html
    assert "Tick the box to confirm you want to delete your account." in html
    assert User.objects.get(pk=user.pk).is_active


def test_signup_form_names_missing_fields(client):
    response = client.post(reverse("account_signup"), {"email": "", "display_name": ""})
    html = response.content.decode()
    assert "This field is required." not in html
    assert "Fill in “Public name”: it cannot be empty." in html


class _NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def _bound() -> _NameForm:
    form = _NameForm({"name": "Ana", "note": "kept"})
    assert form.is_valid()
    return form


def test_a_service_error_naming_a_field_shows_on_that_field_with_its_code():
    form = _bound()
    apply_validation_error(
        form, ValidationError({"name": ValidationError("That name is taken.", code="taken")})
    )
    assert not form.is_valid()
    assert form.errors["name"] == ["That name is taken."]
    assert form.has_error("name", "taken")
    assert form.non_field_errors() == []
    assert "name" not in form.cleaned_data
    assert form["note"].value() == "kept"


def test_a_service_error_naming_no_field_or_an_unknown_one_is_a_form_error():
    form = _bound()
    apply_validation_error(
        form,
        ValidationError(
            {
                "persona": "Choose one of your own personas.",
                NON_FIELD_ERRORS: "The challenge is closed.",
            }
        ),
    )
    assert sorted(form.non_field_errors()) == [
        "Choose one of your own personas.",
        "The challenge is closed.",
    ]
    assert "name" not in form.errors


def test_a_plain_service_error_with_several_messages_keeps_them_all():
    form = _bound()
    apply_validation_error(
        form,
        ValidationError(
            [
                ValidationError("Too many posts today (%(limit)s).", params={"limit": 5}),
                "Try again tomorrow.",
            ]
        ),
    )
    assert form.non_field_errors() == ["Too many posts today (5).", "Try again tomorrow."]
