"""Plain-language form errors that name the field and the limit.

Django's defaults ("This field is required.", "Ensure this value has at most 140 characters
(it has 152).") do not say which field or what to do. :class:`PlainErrorsMixin` replaces
them on every field of a form, just before validation (so fields a form adds in its own
``__init__`` are covered too): "Fill in “Title”.", "Keep “Title” to 140 characters or fewer
(you wrote 152)." A form gives a field its own words through ``plain_messages``
(``{"confirm": {"required": _("Tick the box to …")}}``); an ``error_messages`` entry the
field declared itself is kept.

Every form a citizen fills in uses it; the errors show next to their field
(``community/_field.html``) and the form keeps what was typed.

A service that refuses input raises ``ValidationError``; :func:`apply_validation_error` is the
one way a view or form shows it on the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Messages Django formats with its own parameters (limit_value, show_value, value): the
# field's label is put in first, with any % in it escaped.
_WITH_PARAMS = {"max_length", "min_length", "max_value", "min_value", "invalid_choice"}


def _label(field: forms.Field, name: str) -> str:
    return str(field.label or name.replace("_", " ").capitalize()).strip().rstrip(":")


def messages_for(field: forms.Field, name: str) -> dict[str, str]:
    """The plain messages for one field, in the active language."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        required = _("Tick “%(field)s” to go on.")
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        required = _("Choose an option for “%(field)s”.")
    else:
        required = _("Fill in “%(field)s”: it cannot be empty.")
    found = {
        "required": required,
        "max_length": _(
            "Keep “%(field)s” to %(limit_value)s characters or fewer (you wrote %(show_value)s)."
        ),
        "min_length": _(
            "Write at least %(limit_value)s characters in “%(field)s” (you wrote %(show_value)s)."
        ),
        "null_characters_not_allowed": _(
            "“%(field)s” holds a hidden control character that cannot be saved. Retype the "
            "text without it and try again."
        ),
        "invalid_choice": _("Choose one of the options offered for “%(field)s”."),
        "invalid_list": _("Choose one or more of the options offered for “%(field)s”."),
        "max_value": _("“%(field)s” can be at most %(limit_value)s."),
        "min_value": _("“%(field)s” must be at least %(limit_value)s."),
    }
    if isinstance(field, forms.IntegerField):
        found["invalid"] = _("Type a whole number in “%(field)s”, like 3.")
    elif isinstance(field, forms.EmailField):
        found["invalid"] = _("Type an email address in “%(field)s”, like name@example.com.")
    label = _label(field, name)
    out = {}
    for code, text in found.items():
        if code in _WITH_PARAMS:
            out[code] = text % {
                "field": label.replace("%", "%%"),
                "limit_value": "%(limit_value)s",
                "show_value": "%(show_value)s",
            }
        else:
            out[code] = text % {"field": label}
    return out


def apply_plain_messages(form: forms.BaseForm, overrides: dict | None = None) -> None:
    overrides = overrides or {}
    for name, field in form.fields.items():
        declared = getattr(field, "_declared_messages", None)
        if declared is None:
            # What the field declared beyond Django's defaults is the form's own wording.
            defaults: dict = {}
            for cls in reversed(type(field).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            declared = {
                code: text
                for code, text in field.error_messages.items()
                if defaults.get(code) != text
            }
            field._declared_messages = declared
        field.error_messages = {
            **field.error_messages,
            **messages_for(field, name),
            **declared,
            **{code: str(text) for code, text in overrides.get(name, {}).items()},
        }


class PlainErrorsMixin:
    """Put before ``forms.Form`` (or any form class) in the bases."""

    plain_messages: dict[str, dict[str, str]] = {}

    def full_clean(self):
        apply_plain_messages(self, self.plain_messages)
        super().full_clean()


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``.

    Each message goes on the field it names when the form has that field; messages that name
    no field, or a field this form does not show, become the form's non-field errors, so
    none is lost. Codes and parameters are kept (``form.has_error(field, code)``). The form
    becomes invalid and keeps what was typed.
    """
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)
