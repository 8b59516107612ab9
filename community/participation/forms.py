from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.participation.models import AgeBand, area_choices


class SegmentForm(forms.Form):
    age_band = forms.ChoiceField(label=_("Your age group"), required=False)
    area = forms.ChoiceField(label=_("The area you live in"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        not_said = [("", _("Prefer not to say"))]
        self.fields["age_band"].choices = not_said + list(AgeBand.choices)
        self.fields["area"].choices = not_said + area_choices()
