"""Django admin: challenges are configuration (dates, publishing, linked pages) and may be
edited here; ideas and their records are read-only because every write to them goes through
ideas.actions (counts, events and notifications)."""

from django.contrib import admin

from ideas.models import Challenge, Comment, Idea, StatusChange


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["question", "agency", "opens_at", "ideas_close_at", "closes_at", "is_published"]
    list_filter = ["agency", "is_published"]
    search_fields = ["question"]
    prepopulated_fields = {"slug": ["question"]}
    filter_horizontal = ["service_pages"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "challenge", "persona", "status", "support_count", "created_at"]
    list_filter = ["status", "challenge__agency"]
    search_fields = ["title"]


admin.site.register(Comment, ReadOnlyAdmin)
admin.site.register(StatusChange, ReadOnlyAdmin)
