"""Query filters of the open-data endpoints. Bad values are a 400 naming the parameter."""

from __future__ import annotations

from datetime import UTC, timedelta

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from community.exchange.models import Category, Mode, Post
from ideas.backlog.models import ItemStatus, RoadmapStage
from ideas.codesign.models import Phase as SessionPhase
from ideas.models import Phase, Status

ID_MAX = 2**63 - 1


class IdFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database (PostgreSQL
    refuses offsets beyond ±15:59, and far-off years can overflow in conversion)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        offset = value.utcoffset()
        if offset is not None and abs(offset) > timedelta(hours=14):
            raise forms.ValidationError(_("Use a time zone offset from -14:00 to +14:00."))
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("Use a date between the years 1 and 9999.")) from None


class DateTimeFilter(df.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class Created(df.FilterSet):
    created_after = DateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text=_("Created at or after (ISO 8601).")
    )
    created_before = DateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text=_("Created before (ISO 8601).")
    )


class AgencyFilter(df.FilterSet):
    slug = df.CharFilter(max_length=80, help_text=_("Agency slug."))


class ChallengeFilter(Created):
    agency = df.CharFilter(field_name="agency__slug", max_length=80, help_text=_("Agency slug."))
    tag = df.CharFilter(
        field_name="tags__slug", max_length=100, distinct=True, help_text=_("Tag slug.")
    )
    phase = df.ChoiceFilter(choices=Phase.choices, method="in_phase", help_text=_("Phase now."))
    district = df.CharFilter(
        field_name="district__slug", max_length=80, help_text=_("District slug (places).")
    )

    def in_phase(self, queryset, name, value):
        return queryset.in_phase(value)


class IdeaFilter(Created):
    challenge = IdFilter(field_name="challenge_id", help_text=_("Challenge id."))
    agency = df.CharFilter(
        field_name="challenge__agency__slug", max_length=80, help_text=_("Agency slug.")
    )
    status = df.ChoiceFilter(choices=Status.choices, help_text=_("Idea status."))
    district = df.CharFilter(
        field_name="district__slug", max_length=80, help_text=_("District slug (places).")
    )
    tag = df.CharFilter(
        field_name="tags__slug", max_length=100, distinct=True, help_text=_("Tag slug.")
    )
    persona = df.CharFilter(
        field_name="persona__slug", max_length=80, help_text=_("Persona handle.")
    )
    updated_after = DateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text=_("Changed at or after (ISO 8601).")
    )


class CommentFilter(Created):
    idea = IdFilter(field_name="idea_id", help_text=_("Idea id."))
    challenge = IdFilter(field_name="idea__challenge_id", help_text=_("Challenge id."))
    persona = df.CharFilter(
        field_name="persona__slug", max_length=80, help_text=_("Persona handle.")
    )


class ResponseFilter(Created):
    idea = IdFilter(field_name="idea_id", help_text=_("Idea id."))
    challenge = IdFilter(field_name="idea__challenge_id", help_text=_("Challenge id."))
    agency = df.CharFilter(field_name="agency__slug", max_length=80, help_text=_("Agency slug."))
    to_status = df.ChoiceFilter(choices=Status.choices, help_text=_("Status moved to."))


class BacklogItemFilter(Created):
    agency = df.CharFilter(field_name="agency__slug", max_length=80, help_text=_("Agency slug."))
    status = df.ChoiceFilter(choices=ItemStatus.choices, help_text=_("Backlog status."))
    stage = df.ChoiceFilter(
        choices=RoadmapStage.choices, method="in_stage", help_text=_("Roadmap stage.")
    )
    target_quarter = df.CharFilter(max_length=7, help_text=_("Quarter, YYYY-Qn."))

    def in_stage(self, queryset, name, value):
        from ideas.backlog.models import STAGE_OF

        return queryset.filter(status__in=[s for s, stage in STAGE_OF.items() if stage == value])


class UpdateFilter(Created):
    item = IdFilter(field_name="item_id", help_text=_("Backlog item id."))


class ExchangePostFilter(Created):
    kind = df.ChoiceFilter(choices=Post.Kind.choices, help_text=_("Offer or request."))
    category = df.ChoiceFilter(choices=Category.choices, help_text=_("Kind of help."))
    mode = df.ChoiceFilter(choices=Mode.choices, help_text=_("In person, remote or either."))
    area = df.CharFilter(max_length=40, help_text=_("Area slug."))
    district = df.CharFilter(
        field_name="district__slug", max_length=80, help_text=_("District slug (places).")
    )


class SessionSummaryFilter(df.FilterSet):
    agency = df.CharFilter(field_name="agency__slug", max_length=80, help_text=_("Agency slug."))
    challenge = IdFilter(method="of_challenge", help_text=_("Challenge id (published ones)."))
    phase = df.ChoiceFilter(
        choices=SessionPhase.choices, help_text=_("Phase now (summary: finished).")
    )
    scheduled_after = DateTimeFilter(
        field_name="scheduled_at", lookup_expr="gte", help_text=_("Starts at or after (ISO 8601).")
    )
    scheduled_before = DateTimeFilter(
        field_name="scheduled_at", lookup_expr="lt", help_text=_("Starts before (ISO 8601).")
    )

    def of_challenge(self, queryset, name, value):
        # An unpublished challenge is never shown, so it finds nothing either.
        return queryset.filter(challenge_id=value, challenge_public=True)


class TagFilter(df.FilterSet):
    slug = df.CharFilter(max_length=100, help_text=_("Tag slug."))
