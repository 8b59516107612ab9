"""Forms of the exchange pages: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.exchange.models import Category, Mode, Post, area_choices
from community.formerrors import PlainErrorsMixin
from community.forms import AssistForm
from community.models import Organisation
from community.places import selectors as place_selectors
from community.places.forms import district_choices
from community.selectors import personas_of


def _intermediaries_of(user):
    return Organisation.objects.filter(
        kind=Organisation.Kind.INTERMEDIARY, is_active=True, memberships__user=user
    ).distinct()


class ActingForm(PlainErrorsMixin, forms.Form):
    """Who is acting: one of the user's personas, optionally for an intermediary."""

    persona = forms.ModelChoiceField(
        queryset=None,
        label=_("Show as"),
        empty_label=None,
        help_text=_("The persona other people will see."),
    )
    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Acting for an organisation"),
        empty_label=_("No — for myself"),
        help_text=_("Members of a voluntary organisation can act for someone they support."),
    )
    on_behalf_of = forms.CharField(
        required=False,
        max_length=80,
        label=_("On behalf of"),
        help_text=_("Only when acting for an organisation: a first name or “a neighbour”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = personas_of(user)
        intermediaries = _intermediaries_of(user)
        self.fields["organisation"].queryset = intermediaries
        if not intermediaries.exists():
            del self.fields["organisation"]
            del self.fields["on_behalf_of"]


class PostForm(ActingForm):
    kind = forms.ChoiceField(
        label=_("Are you offering or asking?"), choices=Post.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("For example: “I can help fill in a benefits form”."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea,
        max_length=4000,
        help_text=_("What, how long it might take, anything to know. No phone numbers or emails."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    area = forms.ChoiceField(label=_("Area"), choices=())
    mode = forms.ChoiceField(label=_("In person or remote"), choices=Mode.choices)
    availability = forms.CharField(
        label=_("When"),
        required=False,
        max_length=200,
        help_text=_("For example: “Weekday mornings” or “Tuesday 12 March”."),
    )
    expires_on = forms.DateField(
        label=_("Show until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to show it for two months."),
    )

    field_order = [
        "kind",
        "title",
        "description",
        "category",
        "area",
        "mode",
        "availability",
        "expires_on",
        "persona",
        "organisation",
        "on_behalf_of",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()


class RespondForm(ActingForm):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Say hello and what you have in mind. Keep contact details for later."),
    )
    safety_acknowledged = forms.BooleanField(
        required=False, label=_("I have read the safety guidance above")
    )

    field_order = ["message", "persona", "organisation", "on_behalf_of", "safety_acknowledged"]

    def __init__(self, *args, needs_safety: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_safety:
            del self.fields["safety_acknowledged"]


class MessageForm(PlainErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ProposeForm(PlainErrorsMixin, forms.Form):
    hours = forms.CharField(
        label=_("Hours"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        help_text=_("In quarter hours, e.g. 1.5 for an hour and a half."),
    )


class ContactForm(PlainErrorsMixin, forms.Form):
    details = forms.CharField(
        label=_("Contact details to share"),
        required=False,
        max_length=300,
        help_text=_("Only the people in this conversation will see them."),
    )
    include_email = forms.BooleanField(
        label=_("Also share my sign-in email address"), required=False
    )


class ThanksForm(PlainErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your thank-you note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class AdjustForm(PlainErrorsMixin, forms.Form):
    account = forms.IntegerField(label=_("Account number"), min_value=1)
    hours = forms.CharField(
        label=_("Hours"),
        max_length=12,
        help_text=_("Positive to add credits, negative to remove them (quarter hours)."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Required; kept with the adjustment for audit."),
    )


class FilterForm(PlainErrorsMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Offers or requests"),
        required=False,
        choices=[("", _("Both")), *Post.Kind.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    area = forms.ChoiceField(label=_("Area"), required=False, choices=())
    district = forms.ChoiceField(label=_("District"), required=False, choices=())
    mode = forms.ChoiceField(
        label=_("In person or remote"),
        required=False,
        choices=[("", _("Either")), *Mode.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *area_choices()]
        districts = place_selectors.districts()
        if districts:
            self.fields["district"].choices = district_choices(districts, _("Every district"))
        else:
            del self.fields["district"]


class AssistRequestForm(AssistForm):
    title = forms.CharField(
        label=_("What help do they need?"),
        max_length=120,
        help_text=_("For example: “Help to fill in a benefits form”."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea,
        max_length=4000,
        help_text=_("What, how long it might take, anything to know. No phone numbers or emails."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    area = forms.ChoiceField(label=_("Area"), choices=())
    mode = forms.ChoiceField(label=_("In person or remote"), choices=Mode.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()
