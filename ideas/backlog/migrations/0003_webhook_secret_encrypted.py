"""Webhook signing secrets encrypted at rest (WEBHOOK_SECRET_KEYS, ideas/backlog/crypto.py).

The column becomes text (a Fernet token is longer than the secret), then every existing row
is encrypted with the first key. Rows are read and written with raw SQL so the historical
model's encrypting field does not get in the way; a row that already decrypts is left alone,
so running it twice is harmless. The reverse decrypts every row back to plain text (with
any configured key) before the column returns to ``varchar(128)``.
"""

from cryptography.fernet import InvalidToken
from django.db import migrations, models

import ideas.backlog.crypto


def _rows(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM backlog_webhookendpoint")
        return cursor.fetchall()


def _write(schema_editor, pk, value):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE backlog_webhookendpoint SET secret = %s WHERE id = %s", [value, pk])


def encrypt_rows(apps, schema_editor):
    f = ideas.backlog.crypto.fernet()
    for pk, value in _rows(schema_editor):
        try:
            f.decrypt(value.encode())
            continue  # already encrypted
        except InvalidToken:
            _write(schema_editor, pk, f.encrypt(value.encode()).decode())


def decrypt_rows(apps, schema_editor):
    for pk, value in _rows(schema_editor):
        _write(schema_editor, pk, ideas.backlog.crypto.decrypt(value))


class Migration(migrations.Migration):
    dependencies = [("backlog", "0002_delivery_claimed_at")]

    operations = [
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=ideas.backlog.crypto.EncryptedTextField(verbose_name="signing secret"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
