"""Admin screens for platform administrators.

Roles are assigned as memberships (scoped to an organisation) on the account page; saving
brings the account's role groups in step (:func:`community.roles.sync_role_groups`), so the
groups and their permissions are visible and consistent here too.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from community import versions
from community.models import (
    AccountAccess,
    Consent,
    Follow,
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    Persona,
    User,
)
from community.roles import sync_role_groups


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class AccountAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "is_active", "is_staff", "date_joined"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_role_groups(form.instance)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["display_name", "organisation", "is_primary", "is_anonymised"]
    search_fields = ["display_name"]
    raw_id_fields = ["account"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        versions.bump(versions.PUBLIC_NAMES)  # pages that cache names show the new one


@admin.register(AccountAccess)
class AccountAccessAdmin(admin.ModelAdmin):
    """The staff access log is evidence: it can be read, never edited."""

    list_display = ["created_at", "role", "organisation", "reason"]
    list_filter = ["role", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Notification)
admin.site.register(NotificationPreference)
admin.site.register(Consent)
admin.site.register(Follow)
