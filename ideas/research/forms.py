"""Forms: a survey's questions as a form, joining the panel, asking for testers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from community.participation.models import AgeBand, area_choices
from ideas.research.models import Recruitment, SurveyPage, Usage
from ideas.research.surveys import FREE_TEXT_MAX, Question

NOT_SAYING = [("", _lazy("Prefer not to say"))]


def _condition_help(q: Question, by_key: dict[str, Question]) -> str:
    if not q.conditional:
        return ""
    earlier = by_key.get(q.only_if_question)
    return _("Answer only if you answered “%(answer)s” to question %(n)d.") % {
        "answer": q.only_if_answer,
        "n": earlier.number if earlier else 0,
    }


class SurveyForm(forms.Form):
    """Every question at once; the action decides what applies and what is required."""

    def __init__(self, *args: Any, survey: SurveyPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = survey.question_list()
        by_key = {q.key: q for q in self.questions}
        for q in self.questions:
            label = f"{q.number}. {q.text}"
            help_text = _condition_help(q, by_key)
            if q.required and not q.conditional:
                label += " " + _("(required)")
            if q.kind == "choice":
                field: forms.Field = forms.ChoiceField(
                    choices=[(o, o) for o in q.options], widget=forms.RadioSelect
                )
            elif q.kind == "multiple_choice":
                field = forms.MultipleChoiceField(
                    choices=[(o, o) for o in q.options], widget=forms.CheckboxSelectMultiple
                )
            elif q.kind == "scale":
                ends = ""
                if q.low_label or q.high_label:
                    ends = f"{q.low} = {q.low_label}, {q.high} = {q.high_label}"
                help_text = " ".join(p for p in (ends, help_text) if p)
                field = forms.ChoiceField(
                    choices=[(str(p), str(p)) for p in q.scale_points], widget=forms.RadioSelect
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": FREE_TEXT_MAX})
                )
            field.required = False
            field.label = label
            field.help_text = help_text
            self.fields[q.key] = field
        if survey.ask_age_band:
            self.fields["age_band"] = forms.ChoiceField(
                label=_("Your age group (optional)"),
                choices=NOT_SAYING + list(AgeBand.choices),
                required=False,
            )
        if survey.ask_area:
            self.fields["area"] = forms.ChoiceField(
                label=_("The area you live in (optional)"),
                choices=NOT_SAYING + area_choices(),
                required=False,
            )
        if survey.ask_usage:
            self.fields["usage"] = forms.ChoiceField(
                label=_("How you mostly use the service (optional)"),
                choices=NOT_SAYING + list(Usage.choices),
                required=False,
            )
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree to how my answers are used, as described above."), required=False
        )

    def raw_answers(self) -> dict[str, list[str]]:
        return {q.key: self.data.getlist(q.key) for q in self.questions}

    def segments(self) -> dict[str, str]:
        return {k: self.data.get(k, "") for k in ("age_band", "area", "usage")}


class PanelForm(forms.Form):
    age_band = forms.ChoiceField(
        label=_lazy("Your age group"), choices=NOT_SAYING + list(AgeBand.choices), required=False
    )
    area = forms.ChoiceField(label=_lazy("The area you live in"), choices=[], required=False)
    usage = forms.ChoiceField(
        label=_lazy("How you mostly use public services"),
        choices=NOT_SAYING + list(Usage.choices),
        required=False,
    )
    consent = forms.BooleanField(label=_lazy("I agree to the text above."), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = NOT_SAYING + area_choices()


class RecruitmentForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Testers for"), choices=Recruitment.Kind.choices)
    session = forms.ModelChoiceField(
        label=_lazy("Co-design session"),
        queryset=None,
        required=False,  # type: ignore[arg-type]
    )
    title = forms.CharField(label=_lazy("Title"), max_length=120)
    details = forms.CharField(
        label=_lazy("What invitees will do, when and where"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    starts_at = forms.DateTimeField(
        label=_lazy("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    wanted = forms.IntegerField(label=_lazy("How many testers"), min_value=1, max_value=50)
    balance_by = forms.ChoiceField(
        label=_lazy("Balance the group by"), choices=Recruitment.Balance.choices
    )

    def __init__(self, *args: Any, agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ideas.codesign.models import CodesignSession, Phase

        self.fields["session"].queryset = CodesignSession.objects.filter(agency=agency).exclude(
            phase=Phase.SUMMARY
        )
