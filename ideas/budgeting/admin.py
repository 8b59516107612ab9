"""Staff tools for budgeting live on the site (review, counter, paper ballots); the admin is for
support staff fixing data. Ballots and the register are read-only here: every write that
matters goes through ``ideas.budgeting.actions``."""

from __future__ import annotations

from django.contrib import admin

from ideas.budgeting.models import Budget, BudgetProcess, BudgetResult, Project


class BudgetInline(admin.TabularInline):
    model = Budget
    extra = 0


@admin.register(BudgetProcess)
class BudgetProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "voting_open", "voting_close"]
    list_filter = ["agency"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [BudgetInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "budget", "cost", "review_state", "is_hidden"]
    list_filter = ["review_state", "process"]
    search_fields = ["title"]
    raw_id_fields = ["proposer", "idea", "outcome", "backlog_item", "merged_into"]
    readonly_fields = ["reviewed_by", "reviewed_at", "created_by", "created_at"]


@admin.register(BudgetResult)
class BudgetResultAdmin(admin.ModelAdmin):
    list_display = ["budget", "rule", "spent", "ballots_counted", "computed_at"]
    readonly_fields = [f.name for f in BudgetResult._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
