"""Forms for the account pages. They parse input; services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community import notifications as categories
from community.actions.personas import DESCRIPTION_MAX, PERSONA_NAME_MAX
from community.formerrors import PlainErrorsMixin
from community.models import AssistedContribution, ConsentPurpose, Organisation


class PersonaForm(PlainErrorsMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Public name"),
        max_length=PERSONA_NAME_MAX,
        help_text=_("Shown with everything you contribute as this persona."),
    )
    description = forms.CharField(
        label=_("About this persona (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, up to 1000 characters. Anyone can read it."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Speaks for (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Only myself"),
        help_text=_("An organisation you belong to, if this persona speaks for it."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user, is_active=True
        ).distinct()


class ConsentForm(PlainErrorsMixin, forms.Form):
    purposes = forms.MultipleChoiceField(
        label=_("I agree to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NotificationPreferencesForm(PlainErrorsMixin, forms.Form):
    email_categories = forms.MultipleChoiceField(
        label=_("Email me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everything always shows in your notifications on the site."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_categories"].choices = [
            (c.key, c.label) for c in categories.categories()
        ]


class AccountDeleteForm(PlainErrorsMixin, forms.Form):
    plain_messages = {
        "confirm": {"required": _("Tick the box to confirm you want to delete your account.")},
        "password": {"required": _("Type your password to confirm it is you.")},
    }

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand my account and personal data will be deleted for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class AssistForm(PlainErrorsMixin, forms.Form):
    """The part every assisted contribution shares: who, for which organisation, consent."""

    organisation = forms.ModelChoiceField(
        label=_("You are helping for"), queryset=Organisation.objects.none(), empty_label=None
    )
    citizen_email = forms.EmailField(
        label=_("The citizen's email address"),
        help_text=_("The address they use to sign in. We use it only to find their account."),
    )
    consent = forms.BooleanField(
        label=_("The citizen agreed that I do this for them, just now"),
        required=False,
        help_text=_("Read out what you will send. Tick this only if they said yes."),
    )
    consent_method = forms.ChoiceField(
        label=_("How they agreed"),
        choices=AssistedContribution.ConsentMethod.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
