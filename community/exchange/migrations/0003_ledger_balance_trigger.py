"""On PostgreSQL, the database refuses a ledger transaction whose movements do not sum to zero.

``credits_transfer`` writes a transfer and its two movements in one ``transaction.atomic``;
``ledger_check`` finds imbalance afterwards. This constraint trigger makes an imbalance
impossible to commit: after any INSERT, UPDATE or DELETE of a movement it checks, at COMMIT
(``DEFERRABLE INITIALLY DEFERRED``, so the two legs may be written one after the other), that
the movements of every touched transfer sum to zero. A failing commit raises and rolls back.

SQLite and other engines: nothing happens; the service and ``ledger_check`` remain.
"""

from django.db import migrations

TABLE = "exchange_movement"

CREATE = f"""
CREATE OR REPLACE FUNCTION exchange_ledger_balanced() RETURNS trigger AS $$
DECLARE
    tid bigint;
    total numeric;
BEGIN
    IF TG_OP = 'DELETE' THEN
        tid := OLD.transfer_id;
    ELSE
        tid := NEW.transfer_id;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO total FROM {TABLE} WHERE transfer_id = tid;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transfer % does not balance: its movements sum to %', tid, total
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.transfer_id IS DISTINCT FROM NEW.transfer_id THEN
        SELECT COALESCE(SUM(amount), 0) INTO total FROM {TABLE}
            WHERE transfer_id = OLD.transfer_id;
        IF total <> 0 THEN
            RAISE EXCEPTION 'ledger transfer % does not balance: its movements sum to %',
                OLD.transfer_id, total
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS exchange_ledger_balanced ON {TABLE};
CREATE CONSTRAINT TRIGGER exchange_ledger_balanced
    AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION exchange_ledger_balanced();
"""

DROP = f"""
DROP TRIGGER IF EXISTS exchange_ledger_balanced ON {TABLE};
DROP FUNCTION IF EXISTS exchange_ledger_balanced();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0002_moderation_generic")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
