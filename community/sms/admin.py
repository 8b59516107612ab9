from django.contrib import admin

from community.sms.models import BlockedNumber


@admin.register(BlockedNumber)
class BlockedNumberAdmin(admin.ModelAdmin):
    """Staff block abusive numbers here. Citizens' own numbers are not listed anywhere."""

    list_display = ("number", "reason", "created_at")
    search_fields = ("number",)
