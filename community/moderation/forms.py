from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.moderation.models import ActionKind, Reason

DECISION_CHOICES = [
    (ActionKind.APPROVE, _("Approve: publish it")),
    (ActionKind.HIDE, _("Hide it, with the reason shown in its place")),
    (ActionKind.EDIT, _("Edit it, with a visible note")),
    (ActionKind.WARN, _("Warn the author (and hide it)")),
    (ActionKind.SUSPEND, _("Suspend the author for a period (and hide it)")),
    (ActionKind.BAN, _("Ban the author (and hide it)")),
]


class ReportForm(PlainErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with it?"), choices=Reason.choices)
    text = forms.CharField(
        label=_("Details (optional unless you chose “Other”)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(PlainErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label=_("Decision"), choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Reason shown publicly"),
        choices=[("", _("— none (approve) —")), *Reason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the author (shown with an edit)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    text = forms.CharField(
        label=_("Corrected text (edit only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    days = forms.IntegerField(
        label=_("Suspend for how many days (suspend only)"),
        required=False,
        min_value=1,
        max_value=365,
    )


class RevealForm(PlainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why do you need to see the account?"), max_length=300)


class AppealForm(PlainErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Why should the decision change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealDecisionForm(PlainErrorsMixin, forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Decision on the appeal"),
        choices=[("1", _("Grant: reverse the decision")), ("0", _("Reject: the decision stands"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the author"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
