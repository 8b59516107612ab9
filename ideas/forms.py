"""Forms parse input for the actions; the actions validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from community.formerrors import PlainErrorsMixin
from community.forms import AssistForm
from community.models import Organisation, Persona
from community.places.forms import PlaceFormMixin
from community.places.selectors import districts as all_districts
from community.selectors import personas_of
from ideas.models import BODY_MAX, COMMENT_MAX, RESPONSE_MAX, TITLE_MAX, Challenge, Status
from ideas.selectors import merge_targets

FORMATTING_HELP = _(
    "Plain text. Blank lines start a new paragraph; links work. Light formatting such as "
    "<strong>, <em>, lists and quotes is allowed."
)


def split_tags(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class PersonaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class _PersonaForm(PlainErrorsMixin, forms.Form):
    """A form posted as one of the signed-in account's personas."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        signed_in = user is not None and user.is_authenticated
        self.fields["persona"] = PersonaChoiceField(
            label=_("Post as"),
            queryset=personas_of(user) if signed_in else Persona.objects.none(),
            empty_label=None,
            help_text=_("The persona shown with your post. Other people never see your account."),
        )
        self.order_fields(["persona", *[n for n in self.fields if n != "persona"]])


PLACE_FIELDS = ["latitude", "longitude", "district"]


class IdeaForm(PlaceFormMixin, _PersonaForm):
    """A new idea, optionally with a point (rounded for privacy by the action) or a district."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Your idea"), max_length=BODY_MAX, widget=forms.Textarea, help_text=FORMATTING_HELP
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Optional, separated by commas, for example: buses, accessibility."),
    )

    def __init__(self, *args, user=None, districts=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.setup_place_fields(all_districts() if districts is None else districts)
        self.order_fields([n for n in self.fields if n not in PLACE_FIELDS] + PLACE_FIELDS)

    def cleaned_tags(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags", ""))


class IdeaEditForm(PlainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Your idea"), max_length=BODY_MAX, widget=forms.Textarea, help_text=FORMATTING_HELP
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200)


# Names the limit and the length, as the live form does (realtime.consumers).
COMMENT_TOO_LONG = _(
    "A comment can be at most %(limit_value)s characters; this one has %(show_value)s. "
    "Shorten it and post again."
)


class CommentForm(_PersonaForm):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        error_messages={"max_length": COMMENT_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FORMATTING_HELP,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class CommentEditForm(PlainErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        error_messages={"max_length": COMMENT_TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StatusForm(PlainErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in Status.choices if v != Status.SUBMITTED],
    )
    response = forms.CharField(
        label=_("Official response"),
        max_length=RESPONSE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Published on the idea and sent to its author and followers."),
    )


class MergeForm(PlainErrorsMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge this idea into"),
        queryset=None,
        help_text=_("Support, comments and followers move there; this idea will redirect."),
    )

    def __init__(self, *args, idea=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_targets(idea)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ChallengeForm(PlaceFormMixin, PlainErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none())
    question = forms.CharField(
        label=_("Question"), max_length=200, help_text=_('Start with "How might we …?"')
    )
    cover_text = forms.CharField(label=_("Cover text"), max_length=300, required=False)
    background = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea, help_text=FORMATTING_HELP
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200)
    opens_at = forms.DateTimeField(label=_("Opens for ideas"), widget=DateTimeLocalInput())
    ideas_close_at = forms.DateTimeField(
        label=_("Closes for new ideas"), widget=DateTimeLocalInput()
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeLocalInput(),
        help_text=_("Between the two dates the challenge is in review: no new ideas."),
    )
    service_pages = forms.ModelMultipleChoiceField(
        label=_("Service pages"),
        queryset=Page.objects.none(),
        required=False,
        help_text=_("The challenge is shown on these pages."),
    )
    allow_self_support = forms.BooleanField(
        label=_("Authors may support their own ideas"), required=False
    )
    sms_code = forms.CharField(
        label=_("Text code (optional)"),
        max_length=12,
        required=False,
        help_text=_(
            "A short word people text before their idea, like PARKS. Letters and numbers only."
        ),
    )

    def __init__(self, *args, agencies=None, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.setup_place_fields(all_districts() if districts is None else districts)
        # The place fields come last, after what the challenge asks.
        self.order_fields([n for n in self.fields if n not in PLACE_FIELDS] + PLACE_FIELDS)
        self.fields["service_pages"].queryset = (
            Page.objects.live().filter(depth__gt=2).order_by("title")
        )


class AssistIdeaForm(AssistForm):
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=Challenge.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title of the idea"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("The idea, in the citizen's words"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, challenges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = (
            challenges if challenges is not None else Challenge.objects.none()
        )


class AssistSupportForm(AssistForm):
    idea = forms.IntegerField(
        label=_("Idea number"),
        min_value=1,
        help_text=_("The number on the idea's page or poster."),
    )
