"""Role groups (citizen, moderator, service designer, editor, agency admin) with permissions.

The permission lists are copied here (not imported from community.roles) so this migration
keeps meaning what it meant when it was written. Editors get Wagtail's own "Editors" page and
collection permissions; agency admins get Wagtail's "Moderators" ones (they may publish).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Citizen": [],
    "Moderator": [
        "community.view_persona",
        "community.reveal_account",
        "community.view_organisation",
    ],
    "Service designer": ["community.view_persona", "community.view_organisation"],
    "Editor": [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "community.view_organisation",
    ],
    "Agency admin": [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "community.view_organisation",
        "community.change_organisation",
        "community.view_membership",
        "community.view_persona",
        "community.reveal_account",
    ],
}
# Role group → Wagtail group whose page and collection permissions it copies.
WAGTAIL_TEMPLATE = {"Editor": "Editors", "Agency admin": "Moderators"}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
        template = Group.objects.filter(name=WAGTAIL_TEMPLATE.get(name, "")).first()
        if template is None:
            continue
        for gpp in GroupPagePermission.objects.filter(group=template):
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=gpp.page_id, permission_id=gpp.permission_id
            )
        for gcp in GroupCollectionPermission.objects.filter(group=template):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection_id=gcp.collection_id, permission_id=gcp.permission_id
            )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_privacy_notifications_consents"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
