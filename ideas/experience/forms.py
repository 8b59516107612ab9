"""Forms for feedback (service page, counter), follow-up texts and promoting a theme. They
only parse; the rules are in :mod:`ideas.experience.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.models import AssistedContribution
from ideas.experience.catalogue import ServiceRef
from ideas.experience.conf import setting

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SATISFACTION = [
    ("1", _("1: very unhappy")),
    ("2", _("2")),
    ("3", _("3")),
    ("4", _("4")),
    ("5", _("5: very happy")),
]


class FeedbackForm(PlainErrorsMixin, forms.Form):
    """ "Did you get what you needed?", satisfaction, one yes/no per brand value, a comment."""

    got_what_needed = forms.ChoiceField(
        label=_("Did you get what you needed?"), choices=YES_NO, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with this service?"),
        choices=SATISFACTION,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        help_text=_(
            "Only the staff who run this service read it. Please leave out names and contact details."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, service: ServiceRef, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["comment"].widget.attrs["maxlength"] = setting("COMMENT_MAX")
        for value in service.brand_values:
            self.fields[f"value_{value.id}"] = forms.ChoiceField(
                label=_("Did we keep our promise “%(promise)s”?") % {"promise": value.statement},
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
        # The optional free text comes last, after every question with a fixed answer.
        self.fields["comment"] = self.fields.pop("comment")

    def value_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("value_")]

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "got_what_needed": data["got_what_needed"] == "yes",
            "satisfaction": int(data["satisfaction"]),
            "comment": data.get("comment", ""),
            "brand_values": {
                int(name.removeprefix("value_")): data[name] == "yes"
                for name in self.fields
                if name.startswith("value_") and data.get(name)
            },
        }


class CounterForm(FeedbackForm):
    """The same questions, recorded by counter staff; the citizen's email is optional."""

    citizen_email = forms.EmailField(
        label=_("Citizen's email (optional)"),
        help_text=_("Only if the citizen wants the answer kept with their account."),
        required=False,
    )


class FollowUpForm(PlainErrorsMixin, forms.Form):
    citizen_email = forms.EmailField(label=_("Citizen's email"))
    contact_channel = forms.ChoiceField(
        label=_("How did the citizen contact you?"),
        choices=[("counter", _("At the counter")), ("sms", _("By text message"))],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("The citizen agreed to get one text asking how it went."), required=False
    )
    consent_method = forms.ChoiceField(
        label=_("How did they agree?"),
        choices=AssistedContribution.ConsentMethod.choices,
        widget=forms.RadioSelect,
    )


class PromoteForm(PlainErrorsMixin, forms.Form):
    question = forms.CharField(
        label=_("The challenge's question"),
        help_text=_("Start with “How might we…”. It is public; do not quote anyone's comment."),
        max_length=200,
    )
