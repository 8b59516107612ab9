"""Read-mostly admin for co-design sessions (changes go through the session pages)."""

from django.contrib import admin

from ideas.codesign.models import CodesignSession, Outcome, Participant, Prompt


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    fields = ("title", "group", "backlog_item")
    readonly_fields = ("group", "backlog_item")


@admin.register(CodesignSession)
class CodesignSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "scheduled_at", "phase", "visibility")
    list_filter = ("phase", "visibility", "agency")
    search_fields = ("title", "code")
    readonly_fields = ("phase", "version", "revealed", "started_at", "ended_at", "code")
    raw_id_fields = ("challenge", "service_page", "created_by", "seed_ideas")
    inlines = [PromptInline, OutcomeInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "session", "joined_at", "removed_at")
    raw_id_fields = ("session", "account", "persona")
    exclude = ("guest_key",)
