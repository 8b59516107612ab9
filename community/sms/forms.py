from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin


class PhoneForm(PlainErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("Your mobile number"),
        max_length=30,
        help_text=_("We text you a code to check it is yours. Nobody else ever sees it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeForm(PlainErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("The code we texted you"),
        max_length=12,
        help_text=_("Six numbers."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TextPreferencesForm(PlainErrorsMixin, forms.Form):
    notify_by_text = forms.BooleanField(
        label=_("Text me when a decision is made on ideas I posted or follow"), required=False
    )
