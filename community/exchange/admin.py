"""Admin: posts are editable by staff; the ledger is read-only here. Reports, hiding and
suspensions are the moderation queue's (``community.moderation``).

Balances change only through ``services.credits_transfer`` (adjustments: the staff page at
``exchange:adjust``, which requires a reason and records who made it).
"""

from django.contrib import admin

from community.exchange.models import (
    Account,
    Block,
    Exchange,
    Movement,
    Post,
    Transfer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "category",
        "area",
        "persona",
        "organisation",
        "expires_on",
    ]
    list_filter = ["kind", "category", "area"]
    search_fields = ["title"]
    raw_id_fields = ["persona", "organisation", "created_by"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "post", "responder", "status", "hours", "completed_at"]
    list_filter = ["status"]


class MovementInline(admin.TabularInline):
    model = Movement
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "memo", "created_by", "created_at"]
    list_filter = ["kind"]
    inlines = [MovementInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "user", "organisation", "system_key", "balance"]
    list_filter = ["kind"]


admin.site.register(Block, ReadOnlyAdmin)
