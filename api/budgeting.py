"""Participatory budgeting in the open-data API: processes, budgets, projects, results and
anonymised ballots, and each finished budget as a pabulib ``.pb`` file.

Reads go through ``ideas.budgeting.selectors`` / ``opendata``. Nothing here names a voter:
no voter key, no register data, no account, channel or time of a ballot (see
``ideas.budgeting.opendata``). Ballots and results appear only once results are published.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.base import OpenDataViewSet
from api.serializers import absolute
from ideas.budgeting import opendata, selectors
from ideas.budgeting.models import Ballot, Budget, BudgetProcess, BudgetResult, Project, ReviewState


class BudgetProcessSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the process."))
    slug = serializers.CharField(read_only=True, help_text=_("Stable short name."))
    title = serializers.CharField(read_only=True, help_text=_("Its title."))
    description = serializers.CharField(read_only=True, help_text=_("What it is about."))
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency that runs it.")
    )
    district = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of its district (empty: city-wide).")
    )
    phase = serializers.CharField(
        read_only=True,
        help_text=_("upcoming, proposals, review, voting, counting or results."),
    )
    proposals_open = serializers.DateTimeField(read_only=True, help_text=_("Proposals open."))
    proposals_close = serializers.DateTimeField(read_only=True, help_text=_("Proposals close."))
    review_close = serializers.DateTimeField(read_only=True, help_text=_("Review ends."))
    voting_open = serializers.DateTimeField(read_only=True, help_text=_("Voting opens."))
    voting_close = serializers.DateTimeField(
        source="voting_ends", read_only=True, help_text=_("Voting closes (or closed early).")
    )
    results_published = serializers.DateTimeField(
        read_only=True, help_text=_("When results were published (empty: not yet).")
    )
    min_age = serializers.IntegerField(
        read_only=True, help_text=_("Minimum age to vote (empty: none).")
    )

    class Meta:
        model = BudgetProcess
        fields = [
            "id", "slug", "title", "description", "agency", "district", "phase",
            "proposals_open", "proposals_close", "review_close", "voting_open", "voting_close",
            "results_published", "min_age",
        ]  # fmt: skip


class BudgetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the budget."))
    process = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("Id of its process."))
    name = serializers.CharField(read_only=True, help_text=_("Its name."))
    district = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the district whose residents vote (empty: everyone)."),
    )
    amount = serializers.IntegerField(read_only=True, help_text=_("Money to share out."))
    ballot_kind = serializers.CharField(
        read_only=True, help_text=_("approval, knapsack, cumulative or ranked.")
    )
    min_choices = serializers.IntegerField(read_only=True, help_text=_("Fewest choices."))
    max_choices = serializers.IntegerField(
        read_only=True, help_text=_("Most choices (empty: no limit).")
    )
    points = serializers.IntegerField(
        read_only=True, help_text=_("Points each voter shares (cumulative ballots).")
    )
    rule = serializers.CharField(
        read_only=True, help_text=_("Counting rule: greedy, greedy-stop or equal-shares.")
    )
    pabulib = serializers.SerializerMethodField(
        help_text=_("Link to the finished budget as a pabulib .pb file (empty: not finished).")
    )

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_pabulib(self, obj: Budget) -> str:
        from django.urls import reverse

        if not _finished(obj):
            return ""
        return absolute(reverse("api:budget-pabulib", args=[obj.pk]))

    class Meta:
        model = Budget
        fields = [
            "id", "process", "name", "district", "amount", "ballot_kind", "min_choices",
            "max_choices", "points", "rule", "pabulib",
        ]  # fmt: skip


class BudgetProjectSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the project."))
    number = serializers.IntegerField(
        read_only=True, help_text=_("Its number in the process (on ballots and in pabulib files).")
    )
    process = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("Id of its process."))
    budget = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("Id of its budget."))
    title = serializers.CharField(read_only=True, help_text=_("Its title."))
    description = serializers.CharField(read_only=True, help_text=_("What it would do."))
    cost = serializers.IntegerField(read_only=True, help_text=_("Estimated cost."))
    review_state = serializers.CharField(
        read_only=True, help_text=_("feasible, rejected or merged.")
    )
    feasibility = serializers.CharField(read_only=True, help_text=_("The technical review."))
    rejection_reason = serializers.CharField(
        read_only=True, help_text=_("Public reason it was not accepted.")
    )
    merged_into = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the project it was merged into.")
    )
    idea = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the idea it came from.")
    )
    district = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of its district.")
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, help_text=_("Where (WGS84).")
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, help_text=_("Where (WGS84).")
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When proposed."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("Last change."))

    class Meta:
        model = Project
        fields = [
            "id", "number", "process", "budget", "title", "description", "cost",
            "review_state", "feasibility", "rejection_reason", "merged_into", "idea",
            "district", "latitude", "longitude", "created_at", "updated_at",
        ]  # fmt: skip


class BudgetResultSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the result."))
    budget = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the budget counted.")
    )
    rule = serializers.CharField(read_only=True, help_text=_("Counting rule used."))
    amount = serializers.IntegerField(read_only=True, help_text=_("Money shared out."))
    spent = serializers.IntegerField(read_only=True, help_text=_("Cost of the projects funded."))
    selected = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Numbers of the funded projects, in the order chosen."),
    )
    ballots_counted = serializers.IntegerField(read_only=True, help_text=_("Ballots counted."))
    fates = serializers.SerializerMethodField(
        help_text=_(
            "Per project number: selected, score (votes, points or Borda points), reason, "
            "budget left at its turn, rank, and under Equal Shares how many ballots paid and "
            "how much in total."
        )
    )
    computed_at = serializers.DateTimeField(read_only=True, help_text=_("When counted."))

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "object"}})
    def get_fates(self, obj: BudgetResult) -> dict[str, Any]:
        return opendata.public_fates(obj)

    class Meta:
        model = BudgetResult
        fields = [
            "id", "budget", "rule", "amount", "spent", "selected", "ballots_counted", "fates",
            "computed_at",
        ]  # fmt: skip


class AnonymousBallotSerializer(serializers.Serializer):
    budget = serializers.IntegerField(help_text=_("Id of the budget."))
    number = serializers.IntegerField(
        help_text=_("The ballot's number in the count (1, 2, …), as in the pabulib file.")
    )
    choices = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Project number → weight (1; points; or rank, 1 = first choice)."),
    )


def _finished(budget: Budget) -> bool:
    published = budget.process.results_published
    return published is not None and published <= timezone.now() and hasattr(budget, "result")


class BudgetProcessViewSet(OpenDataViewSet):
    """Participatory budget processes whose proposals phase has started."""

    serializer_class = BudgetProcessSerializer
    ordering_fields = ("voting_open", "created_at")
    ordering = "-voting_open"
    modified_fields = ()
    dataset = "budget_processes"
    dataset_title = gettext_lazy("Participatory budget processes")
    dataset_description = gettext_lazy(
        "Participatory budget processes: their agency, district and phase dates."
    )

    @classmethod
    def public_queryset(cls) -> QuerySet[BudgetProcess]:
        return selectors.public_processes().select_related("district")


class BudgetViewSet(OpenDataViewSet):
    """Budgets of those processes: the money, the ballot rules and the counting rule."""

    serializer_class = BudgetSerializer
    ordering_fields = ("created_at",)
    ordering = "created_at"
    modified_fields = ()
    dataset = "budgets"
    dataset_title = gettext_lazy("Participatory budgets")
    dataset_description = gettext_lazy(
        "Budgets of participatory processes: amount, ballot rules and counting rule."
    )

    @classmethod
    def public_queryset(cls) -> QuerySet[Budget]:
        return Budget.objects.filter(
            process__in=selectors.public_processes().values("pk")
        ).select_related("process", "district", "result")

    def get_renderers(self):
        if self.action == "pabulib":
            return [PabulibRenderer()]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        if self.action == "pabulib" and response.status_code != 200:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        responses={(200, "text/plain"): str},
        description=_("The finished budget as a pabulib .pb file (anonymised ballots)."),
    )
    def pabulib(self, request, pk=None):
        """Routed in ``api.urls`` (``budgets/<id>/pabulib.pb``)."""
        budget = self.get_object()
        if not _finished(budget):
            raise Http404
        return Response(opendata.pabulib_text(budget), content_type="text/plain; charset=utf-8")


class PabulibRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "pb"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        import json

        return json.dumps(data).encode(self.charset)


class BudgetProjectViewSet(OpenDataViewSet):
    """Reviewed projects: on the ballot, not accepted (with the public reason) or merged."""

    serializer_class = BudgetProjectSerializer
    ordering_fields = ("created_at", "number")
    ordering = "created_at"
    dataset = "budget_projects"
    dataset_title = gettext_lazy("Participatory budget projects")
    dataset_description = gettext_lazy(
        "Reviewed projects of participatory budgets: cost, review and the public reason for "
        "every rejection. Projects waiting for review or hidden by moderators are left out."
    )

    @classmethod
    def public_queryset(cls) -> QuerySet[Project]:
        return (
            Project.objects.filter(
                process__in=selectors.public_processes().values("pk"), is_hidden=False
            )
            .exclude(review_state=ReviewState.SUBMITTED)
            .select_related("district")
        )


class BudgetResultViewSet(OpenDataViewSet):
    """Published results: what each budget funded and why each project won or did not."""

    serializer_class = BudgetResultSerializer
    ordering_fields = ("computed_at",)
    ordering = "-computed_at"
    modified_fields = ("computed_at",)
    dataset = "budget_results"
    dataset_title = gettext_lazy("Participatory budget results")
    dataset_description = gettext_lazy(
        "Published results of participatory budgets, with each project's fate explained."
    )

    @classmethod
    def public_queryset(cls) -> QuerySet[BudgetResult]:
        return BudgetResult.objects.filter(budget__in=selectors.finished_budgets().values("pk"))


class BudgetBallotViewSet(OpenDataViewSet):
    """Anonymised ballots of finished budgets: choices only, numbered as counted."""

    serializer_class = AnonymousBallotSerializer
    ordering_fields = ("pk",)
    ordering = "pk"
    modified_fields = ()
    dataset = "budget_ballots"
    dataset_title = gettext_lazy("Participatory budget ballots (anonymised)")
    dataset_description = gettext_lazy(
        "Counted ballots of budgets whose results are published: the budget, the ballot's "
        "number in the count and its choices. Nothing about who cast it."
    )
    pagination_class = None
    filter_backends: list[Any] = []

    @classmethod
    def public_queryset(cls) -> QuerySet[Ballot]:
        return Ballot.objects.none()  # rows come from opendata.anonymous_ballots

    def allowed_params(self) -> set[str]:
        return {"budget"} if self.action == "list" else set()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "budget", int, required=True, description="Id of a budget with published results."
            )
        ],
        responses=AnonymousBallotSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        """Every counted ballot of one finished budget (``?budget=<id>``), unpaginated."""
        raw = request.query_params.get("budget", "")
        if not raw.isdigit():
            raise ValidationError({"budget": [_("Give the id of a budget: ?budget=12")]})
        budget = selectors.finished_budgets().filter(pk=int(raw)).first()
        if budget is None:
            raise Http404
        return Response(list(opendata.anonymous_ballots(budget)))

    def retrieve(self, request, *args, **kwargs):
        raise Http404  # ballots have no identity of their own: list them per budget

    @classmethod
    def dataset_rows(cls):
        for budget in selectors.finished_budgets():
            yield from opendata.anonymous_ballots(budget)
