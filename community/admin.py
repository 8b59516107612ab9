from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from community.models import Follow, Membership, Notification, Organisation, Persona, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class AccountAdmin(UserAdmin):
    inlines = [MembershipInline]


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


admin.site.register(Notification)
admin.site.register(Follow)
