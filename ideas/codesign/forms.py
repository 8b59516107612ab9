"""Forms for the session pages. They parse input only; the actions validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Persona
from community.places.forms import PlaceFormMixin
from community.places.selectors import districts as all_districts
from ideas.codesign.models import GOAL_MAX, GUEST_NAME_MAX, TITLE_MAX, Visibility
from ideas.models import Challenge, Idea

PLACE_FIELDS = ["latitude", "longitude", "district"]


class SessionForm(PlaceFormMixin, forms.Form):
    """A new session; its venue (optional) is a point or a district."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    goal = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should the session decide? Everyone sees this in the brief."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=Challenge.objects.none(), required=False
    )
    seed_ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas to show in the brief"),
        queryset=Idea.objects.none(),
        required=False,
        help_text=_("Only ideas from the chosen challenge."),
    )
    prompts = forms.CharField(
        label=_("Prompts (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="What works well?\nWhat gets in the way?\nWhat could we try?",
    )
    visibility = forms.ChoiceField(
        label=_("Who may join"), choices=Visibility.choices, initial=Visibility.OPEN
    )
    allow_guests = forms.BooleanField(
        label=_("Named guests may join without an account"), required=False
    )
    hide_notes = forms.BooleanField(
        label=_("Hide notes from others until I reveal them"), required=False
    )
    vote_budget = forms.IntegerField(
        label=_("Votes per person"), min_value=1, max_value=20, initial=5
    )
    group_cap = forms.IntegerField(
        label=_("Most votes per person on one group"), min_value=1, max_value=20, initial=3
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_place_fields(all_districts())
        self.fields["latitude"].label = _("Venue latitude")
        self.fields["longitude"].label = _("Venue longitude")
        self.fields["district"].label = _("Venue district")
        self.order_fields([n for n in self.fields if n not in PLACE_FIELDS] + PLACE_FIELDS)
        challenges = Challenge.objects.filter(agency=agency).order_by("-opens_at")
        self.fields["challenge"].queryset = challenges
        self.fields["seed_ideas"].queryset = (
            Idea.objects.filter(challenge__agency=agency, merged_into__isnull=True)
            .select_related("challenge")
            .order_by("-support_count", "pk")
        )


class JoinForm(forms.Form):
    persona = forms.ModelChoiceField(label=_("Take part as"), queryset=Persona.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = Persona.objects.filter(
            account=user, is_anonymised=False
        ).order_by("-is_primary", "display_name")
        first = self.fields["persona"].queryset.first()
        if first is not None:
            self.fields["persona"].initial = first.pk


class GuestJoinForm(forms.Form):
    guest_name = forms.CharField(
        label=_("Your name"),
        max_length=GUEST_NAME_MAX,
        help_text=_("Shown on your notes. Use a first name or a nickname."),
    )


class OutcomeForm(forms.Form):
    title = forms.CharField(label=_("Outcome"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("What should change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
