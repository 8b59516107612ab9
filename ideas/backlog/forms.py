"""Forms for the backlog pages: parsing only; the actions validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ideas.backlog.models import TEXT_MAX, TITLE_MAX, ItemStatus

_FACTOR_HELP = _("1 (low) to 10 (high)")


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea, max_length=TEXT_MAX)
    proposed_change = forms.CharField(
        label=_("Proposed change"), widget=forms.Textarea, max_length=TEXT_MAX, required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    reach = forms.IntegerField(
        label=_("Reach"), min_value=1, max_value=10, initial=5, help_text=_FACTOR_HELP
    )
    impact = forms.IntegerField(
        label=_("Impact"), min_value=1, max_value=10, initial=5, help_text=_FACTOR_HELP
    )
    confidence = forms.IntegerField(
        label=_("Confidence"), min_value=1, max_value=10, initial=5, help_text=_FACTOR_HELP
    )
    effort = forms.IntegerField(
        label=_("Effort"),
        min_value=1,
        max_value=10,
        initial=5,
        help_text=_("1 (small) to 10 (very large)"),
    )
    target_quarter = forms.CharField(
        label=_("Target quarter"), max_length=7, required=False, help_text=_("For example 2027-Q2")
    )
    is_public = forms.BooleanField(label=_("Show on the public roadmap"), required=False)
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Only agency staff see these."),
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=ItemStatus.choices)
    message = forms.CharField(
        label=_("Public update"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
        help_text=_(
            "Shown on the roadmap and sent to everyone who took part. Required for "
            "won't do and for moving back."
        ),
    )


class BulkMoveForm(MoveForm):
    items = forms.TypedMultipleChoiceField(label=_("Items"), coerce=int, choices=())

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices


class PromoteForm(forms.Form):
    message = forms.CharField(
        label=_("Official response"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Show on the public roadmap"), required=False, initial=True
    )


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Tracker URL"), max_length=500, assume_scheme="https")
    secret = forms.CharField(label=_("Signing secret"), min_length=24, max_length=128)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
