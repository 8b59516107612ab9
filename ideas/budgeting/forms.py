"""Forms for the budgeting pages. They parse input only; the actions validate and decide
(a ballot's limits are checked by the engine through ``ballot_cast``, whose message names the
limit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.formerrors import PlainErrorsMixin
from community.models import Persona
from community.selectors import personas_of
from ideas.budgeting.explain import money
from ideas.budgeting.models import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    Ballot,
    BallotKind,
    Budget,
    BudgetProcess,
    Project,
)


class PersonaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class BudgetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({money(obj.amount)})"


class ProposalForm(PlainErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("What should be done, where, and who it helps"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, user: Any = None, budgets: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        signed_in = user is not None and user.is_authenticated
        self.fields["persona"] = PersonaChoiceField(
            label=_("Propose as"),
            queryset=personas_of(user) if signed_in else Persona.objects.none(),
            empty_label=None,
            help_text=_(
                "The persona shown with your project. Other people never see your account."
            ),
        )
        self.fields["budget"] = BudgetChoiceField(
            label=_("Budget"),
            queryset=budgets if budgets is not None else Budget.objects.none(),
            empty_label=None,
            help_text=_("Which of this process's budgets should pay for it."),
        )
        self.order_fields(["persona", "budget", "title", "description"])


class ReviewForm(PlainErrorsMixin, forms.Form):
    DECISIONS = [
        ("feasible", _("Feasible: put it on the ballot")),
        ("rejected", _("Not feasible: reject it with a public reason")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    cost = forms.IntegerField(
        label=_("Estimated cost"),
        min_value=1,
        required=False,
        help_text=_("In whole currency units. Needed for a feasible project."),
    )
    feasibility = forms.CharField(
        label=_("Feasibility notes (public)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rejection_reason = forms.CharField(
        label=_("Public reason for rejecting it"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject a project: the proposer and everyone else read it."),
    )


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class MergeForm(PlainErrorsMixin, forms.Form):
    def __init__(self, *args: Any, others: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["into"] = ProjectChoiceField(
            label=_("Merge this project into"),
            queryset=others if others is not None else Project.objects.none(),
            help_text=_("The duplicate keeps its page, pointing to the project it joined."),
        )


def _ranks(count: int) -> list[tuple[str, str]]:
    return [("", _("Not ranked")), *[(str(n), str(n)) for n in range(1, count + 1)]]


class BallotForm(forms.Form):
    """One field per way of voting: checkboxes (approval, knapsack), a number per project
    (cumulative points) or a rank per project (ranked). :meth:`choices` is what
    ``ballot_cast`` takes: ``{project number as text: weight}``."""

    def __init__(
        self,
        *args: Any,
        budget: Budget,
        projects: Sequence[Project],
        current: dict[str, int] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.budget, self.projects = budget, list(projects)
        current = {str(k): int(v) for k, v in (current or {}).items()}
        kind = budget.ballot_kind
        if kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK):
            self.fields["projects"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=[(str(p.number), str(p.title)) for p in self.projects],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=list(current),
            )
        elif kind == BallotKind.CUMULATIVE:
            for p in self.projects:
                self.fields[f"points_{p.number}"] = forms.IntegerField(
                    label=str(p.title),
                    min_value=0,
                    max_value=budget.points or None,
                    required=False,
                    initial=current.get(str(p.number)),
                )
        else:
            limit = budget.max_choices or len(self.projects)
            for p in self.projects:
                value = current.get(str(p.number))
                self.fields[f"rank_{p.number}"] = forms.ChoiceField(
                    label=str(p.title),
                    choices=_ranks(min(limit, len(self.projects))),
                    required=False,
                    initial=str(value) if value else "",
                )

    def choices(self) -> dict[str, int]:
        data = self.cleaned_data
        kind = self.budget.ballot_kind
        if kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK):
            return dict.fromkeys(data.get("projects", []), 1)
        chosen: dict[str, int] = {}
        prefix = "points_" if kind == BallotKind.CUMULATIVE else "rank_"
        for p in self.projects:
            value = data.get(f"{prefix}{p.number}")
            if value not in (None, "", 0):
                chosen[str(p.number)] = int(value)
        return chosen

    def checkbox_rows(self) -> list[tuple[Project, bool]]:
        """(project, ticked) pairs for the checkbox kinds: as submitted, else the saved ballot."""
        chosen = {str(value) for value in (self["projects"].value() or [])}
        return [(p, str(p.number) in chosen) for p in self.projects]

    def rows(self) -> list[tuple[Project, Any]]:
        """(project, bound field) pairs for the per-project kinds, in ballot order."""
        prefix = "points_" if self.budget.ballot_kind == BallotKind.CUMULATIVE else "rank_"
        return [(p, self[f"{prefix}{p.number}"]) for p in self.projects]


class ResidentFieldsMixin:
    """How a resident is identified: the register fields the agency chose
    (``process.register_fields``, inputs named as the fields, so the actions' errors land on
    them), or, for a process without a register, the identity document's number and the birth
    year staff saw."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_resident_fields(self, process: BudgetProcess, *, document: bool) -> list[str]:
        self.resident_names = (
            list(process.register_fields or []) if process.verify_by_register else []
        )
        for name in self.resident_names:
            self.fields[name] = forms.CharField(
                label=name.replace("_", " ").capitalize(), max_length=120
            )
        names = list(self.resident_names)
        if document and not process.verify_by_register:
            self.fields["document"] = forms.CharField(
                label=_("Identity document number"),
                max_length=60,
                help_text=_("Only a coded fingerprint of it is kept."),
            )
            self.fields["birth_year"] = forms.IntegerField(
                label=_("Year of birth"), min_value=1900, max_value=2100, required=False
            )
            names += ["document", "birth_year"]
        return names

    def resident_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.resident_names}


class VerifyForm(ResidentFieldsMixin, PlainErrorsMixin, forms.Form):
    """A signed-in resident proves who they are against the register."""

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.add_resident_fields(process, document=False)


class ConsentFields(forms.Form):
    consent = forms.BooleanField(
        label=_("The resident agreed that I verify them for this vote, just now"),
        required=False,
        help_text=_("Tell them what is recorded: that they may vote, and their district."),
    )
    consent_method = forms.ChoiceField(
        label=_("How they agreed"),
        choices=[("in_person", _("In person")), ("phone", _("On the phone"))],
        widget=forms.RadioSelect,
        initial="in_person",
    )


class CounterVerifyForm(ResidentFieldsMixin, PlainErrorsMixin, ConsentFields):
    """Counter staff verify a resident in person, with the resident's consent."""

    citizen_email = forms.EmailField(
        label=_("The resident's email address (optional)"),
        required=False,
        help_text=_(
            "If they have an account, they can then vote on their own phone. We use it only to "
            "find their account."
        ),
    )

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        first = self.add_resident_fields(process, document=True)
        self.order_fields([*first, "citizen_email", "consent", "consent_method"])


PAPER_HELP = _(
    "Project numbers separated by spaces, in the order written (ranked ballots: first choice "
    "first). For points write number=points, for example 3=40 7=60."
)


class PaperBallotForm(ResidentFieldsMixin, PlainErrorsMixin, ConsentFields):
    """A paper ballot typed in by staff: who the resident is (verified now, or found again),
    the budget and the choices as written on the paper."""

    choices_text = forms.CharField(
        label=_("Choices as written on the paper"), max_length=500, help_text=PAPER_HELP
    )

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["budget"] = BudgetChoiceField(
            label=_("Budget"), queryset=process.budgets.all(), empty_label=None
        )
        first = self.add_resident_fields(process, document=True)
        self.order_fields([*first, "consent", "consent_method", "budget", "choices_text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        budget, text = data.get("budget"), data.get("choices_text", "")
        if budget is not None and text:
            try:
                data["choices"] = parse_paper_choices(text, budget.ballot_kind)
            except ValueError as exc:
                self.add_error("choices_text", str(exc))
        return data


class PaperConfirmForm(PlainErrorsMixin, forms.Form):
    """The second member of staff re-types the paper ballot's choices without seeing the
    first entry; they must match for it to count."""

    choices_text = forms.CharField(
        label=_("Type the choices from the paper again"), max_length=500, help_text=PAPER_HELP
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.ballot = ballot

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("choices_text", "")
        if text:
            try:
                data["choices"] = parse_paper_choices(text, self.ballot.budget.ballot_kind)
            except ValueError as exc:
                self.add_error("choices_text", str(exc))
        return data


def parse_paper_choices(text: str, kind: str) -> dict[str, int]:
    """``"3 7 12"`` → ``{"3": 1, "7": 1, "12": 1}``; ranked → positions 1, 2, 3; cumulative
    ``"3=40 7=60"`` → ``{"3": 40, "7": 60}``. Raises ``ValueError`` naming the bad part."""
    chosen: dict[str, int] = {}
    for position, part in enumerate(text.replace(",", " ").split(), start=1):
        number, _sep, weight = part.partition("=")
        if not number.isdigit() or (kind == BallotKind.CUMULATIVE and not weight.isdigit()):
            if kind == BallotKind.CUMULATIVE:
                message = _("“%(part)s” is not a project number with points (like 3=40).")
            else:
                message = _("“%(part)s” is not a project number.")
            raise ValueError(str(message) % {"part": part})
        if str(int(number)) in chosen:
            raise ValueError(str(_("Project %(n)s is written twice.")) % {"n": int(number)})
        value = int(weight) if kind == BallotKind.CUMULATIVE else 1
        chosen[str(int(number))] = position if kind == BallotKind.RANKED else value
    return chosen
