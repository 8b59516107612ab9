"""Let Wagtail's Editors and Moderators groups manage the service directory snippets.

Editors and Moderators may add and change agencies (community.Organisation), life events and
brand values; only Moderators may delete them (deleting is refused while pages use them).
Both may copy pages and snippets into another language (simple_translation).
"""

from django.db import migrations

GRANTS = {
    "Editors": {
        ("community", "organisation"): ["add", "change", "view"],
        ("cms", "lifeevent"): ["add", "change", "view"],
        ("cms", "brandvalue"): ["add", "change", "view"],
        ("simple_translation", "simpletranslation"): ["submit_translation"],
    },
    "Moderators": {
        ("community", "organisation"): ["add", "change", "delete", "view"],
        ("cms", "lifeevent"): ["add", "change", "delete", "view"],
        ("cms", "brandvalue"): ["add", "change", "delete", "view"],
        ("simple_translation", "simpletranslation"): ["submit_translation"],
    },
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for (app_label, model), actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in actions:
                codename = action if "_" in action else f"{action}_{model}"
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": f"Can {codename.replace('_', ' ')}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_service_directory"),
        ("community", "0002_organisation_logo"),
        ("wagtailcore", "0098_apitoken"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
