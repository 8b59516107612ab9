"""Re-encrypt every stored webhook secret with the first of WEBHOOK_SECRET_KEYS.

Key rotation (docs/operations.md): put the new key first in WEBHOOK_SECRET_KEYS and keep the
old one after it, restart, run this command, then drop the old key. Each row is re-encrypted
under its own row lock; a row no key opens stops the command with a clear error, changing
nothing more.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ideas.backlog import crypto
from ideas.backlog.models import WebhookEndpoint

SELECT = "SELECT secret FROM backlog_webhookendpoint WHERE id = %s"
SELECT_LOCKED = "SELECT secret FROM backlog_webhookendpoint WHERE id = %s FOR UPDATE"


class Command(BaseCommand):
    help = "Re-encrypt every webhook signing secret with the first WEBHOOK_SECRET_KEYS key."

    def handle(self, *args, **options) -> None:
        ids = list(WebhookEndpoint.objects.order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic(), connection.cursor() as cursor:
                # Raw SQL: the token itself is rotated; the plain secret never leaves crypto.
                locking = connection.features.has_select_for_update
                cursor.execute(SELECT_LOCKED if locking else SELECT, [pk])
                row = cursor.fetchone()
                if row is None:
                    continue
                try:
                    token = crypto.rotate(row[0])
                except crypto.SecretKeyError as exc:
                    raise CommandError(f"webhook endpoint {pk}: {exc}") from None
                cursor.execute(
                    "UPDATE backlog_webhookendpoint SET secret = %s WHERE id = %s", [token, pk]
                )
        self.stdout.write(f"Re-encrypted {len(ids)} webhook secret(s) with the first key.")
