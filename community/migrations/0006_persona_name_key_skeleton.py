"""Recompute ``Persona.name_key`` with the Unicode confusable skeleton (community/names.py).

Keys made by the old ASCII table differ for look-alikes from other scripts and were empty
for names in Arabic or Chinese. Two existing personas whose names now fold to the same key
(an impersonator that got past the old table) cannot both hold it: the older keeps it, the
newer keeps its old key, so nothing is renamed behind anyone's back and moderators can
review them (they are listed in the migration's output).
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from community.names import name_key

    Persona = apps.get_model("community", "Persona")
    personas = list(
        Persona.objects.filter(is_anonymised=False).order_by("pk").only("pk", "display_name")
    )
    old = dict(Persona.objects.filter(is_anonymised=False).values_list("pk", "name_key"))
    taken: set[str] = set()
    changed = []
    for persona in personas:
        key = name_key(persona.display_name)
        if key and key in taken:
            print(f"\n  persona {persona.pk}: its name now looks like another's; review it")
            key = old[persona.pk] if old[persona.pk] not in taken else ""
        if key:
            taken.add(key)
        if key != old[persona.pk]:
            persona.name_key = key
            changed.append(persona)
    # Clear first so a new key never meets a stale one under the unique constraint.
    Persona.objects.filter(pk__in=[p.pk for p in changed]).update(name_key="")
    Persona.objects.bulk_update(changed, ["name_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("community", "0005_user_language_alter_accountaccess_role_and_more")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
