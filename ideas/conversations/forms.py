"""Forms for the conversation pages. They parse input only; the actions validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.models import Persona
from community.selectors import personas_of
from ideas.conversations.models import QUESTION_MAX, STATEMENT_MAX, TITLE_MAX
from ideas.models import Challenge


class PersonaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class StatementForm(PlainErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One short, plain sentence others can agree or disagree with (up to %(n)d characters)."
        )
        % {"n": STATEMENT_MAX},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        signed_in = user is not None and user.is_authenticated
        self.fields["persona"] = PersonaChoiceField(
            label=_("Post as"),
            queryset=personas_of(user) if signed_in else Persona.objects.none(),
            empty_label=None,
            help_text=_("The persona shown with your post. Other people never see your account."),
        )
        self.order_fields(["persona", "text"])


class ConversationForm(PlainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    question = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the conversation is about, in a sentence or two."),
    )
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=Challenge.objects.none(), required=False
    )
    statements = forms.CharField(
        label=_("Starting statements (one per line)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Statements from the agency that people vote on first."),
    )
    allow_statements = forms.BooleanField(
        label=_("Participants may add statements"), required=False, initial=True
    )
    sms_code = forms.CharField(
        label=_("Text code"),
        max_length=12,
        required=False,
        help_text=_("Optional: people text JOIN and this code to take part by SMS."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Optional: leave empty to close it by hand."),
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            self.fields["challenge"].queryset = Challenge.objects.filter(agency=agency)

    def seed_statements(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("statements", "").splitlines()
            if line.strip()
        ]
