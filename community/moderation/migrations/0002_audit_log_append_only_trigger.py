"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the moderation audit log.

The model already refuses in Python (``ModerationAction.save``/``delete`` and its queryset),
but raw SQL, a shell or another program could still rewrite history. This trigger closes that.

One change is allowed, the only one Django itself makes: when a user row is really deleted,
``actor`` and ``target_account`` are ``SET_NULL``. An UPDATE that sets either of those to NULL
and changes nothing else passes; every other UPDATE, and every DELETE, raises. (Account
deletion in this project tombstones the user and never deletes the row, so in practice the
exception is not used; it keeps an admin's hard delete from failing half way.)

TRUNCATE is not row-level and stays possible for the database owner (test database flushes).
SQLite and other engines: nothing happens; the Python guard remains.
"""

from django.db import migrations

TABLE = "moderation_moderationaction"

CREATE = f"""
CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.target_account_id IS NULL
            OR NEW.target_account_id IS NOT DISTINCT FROM OLD.target_account_id)
       AND (NEW.id, NEW.case_id, NEW.action, NEW.reason, NEW.note, NEW.content_label,
            NEW.waited, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.case_id, OLD.action, OLD.reason, OLD.note, OLD.content_label,
            OLD.waited, OLD.created_at)
    THEN
        RETURN NEW;  -- a deleted user's reference set to NULL (on_delete=SET_NULL)
    END IF;
    RAISE EXCEPTION 'the moderation audit log is append-only (% refused on row %)',
        TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS moderation_audit_append_only ON {TABLE};
CREATE TRIGGER moderation_audit_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
"""

DROP = f"""
DROP TRIGGER IF EXISTS moderation_audit_append_only ON {TABLE};
DROP FUNCTION IF EXISTS moderation_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
