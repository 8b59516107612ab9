"""Tracker webhook secrets are encrypted at rest, still sign and verify, and rotate."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from ideas.backlog import crypto, signing
from ideas.backlog.models import WebhookEndpoint
from ideas.backlog.tests.factories import SECRET, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

OLD, NEW, OTHER = (Fernet.generate_key().decode() for _ in range(3))


def _stored(endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM backlog_webhookendpoint WHERE id = %s", [endpoint.pk])
        return cursor.fetchone()[0]


def test_the_stored_column_never_holds_the_plain_secret():
    endpoint = WebhookEndpointFactory()
    stored = _stored(endpoint)
    assert SECRET not in stored
    assert crypto.decrypt(stored) == SECRET
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == SECRET


def test_signing_with_the_stored_secret_still_verifies():
    endpoint = WebhookEndpoint.objects.get(pk=WebhookEndpointFactory().pk)
    body = b'{"item": 1}'
    headers = signing.signed_headers(endpoint.secret, body)
    refusal = signing.verify(
        secret=SECRET,
        timestamp=headers[signing.TIMESTAMP_HEADER],
        sig=headers[signing.SIGNATURE_HEADER],
        body=body,
        window=300,
    )
    assert refusal is None


def test_rotation_re_encrypts_every_row_with_the_first_key():
    with override_settings(WEBHOOK_SECRET_KEYS=[OLD]):
        endpoints = [WebhookEndpointFactory() for _ in range(2)]
        before = [_stored(e) for e in endpoints]
    with override_settings(WEBHOOK_SECRET_KEYS=[NEW, OLD]):
        out = StringIO()
        call_command("rotate_webhook_secrets", stdout=out)
        assert "Re-encrypted 2 webhook secret(s)" in out.getvalue()
    after = [_stored(e) for e in endpoints]
    assert after != before
    for token in after:
        assert Fernet(NEW).decrypt(token.encode()).decode() == SECRET  # the new key alone opens it
    with override_settings(WEBHOOK_SECRET_KEYS=[NEW]):  # the old key dropped
        assert {e.secret for e in WebhookEndpoint.objects.all()} == {SECRET}


def test_a_wrong_key_gives_a_clear_error():
    with override_settings(WEBHOOK_SECRET_KEYS=[OLD]):
        endpoint = WebhookEndpointFactory()
    with override_settings(WEBHOOK_SECRET_KEYS=[OTHER]):
        with pytest.raises(crypto.SecretKeyError, match="none of WEBHOOK_SECRET_KEYS opens it"):
            WebhookEndpoint.objects.get(pk=endpoint.pk)
        with pytest.raises(CommandError, match=f"webhook endpoint {endpoint.pk}: .*WEBHOOK_SECRET"):
            call_command("rotate_webhook_secrets", stdout=StringIO())
    with override_settings(WEBHOOK_SECRET_KEYS=[OLD]):
        assert _stored(endpoint) and WebhookEndpoint.objects.get(pk=endpoint.pk).secret == SECRET


def test_no_key_at_all_gives_a_clear_error():
    with (
        override_settings(WEBHOOK_SECRET_KEYS=[]),
        pytest.raises(crypto.SecretKeyError, match="WEBHOOK_SECRET_KEYS is empty"),
    ):
        WebhookEndpointFactory()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_its_reverse_decrypts_them():
    from django.db.migrations.executor import MigrationExecutor

    before = [("backlog", "0002_delivery_claimed_at")]
    after = [("backlog", "0003_webhook_secret_encrypted")]
    endpoint = WebhookEndpointFactory()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        assert _stored(endpoint) == SECRET  # the reverse decrypted it
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        stored = _stored(endpoint)
        assert SECRET not in stored and crypto.decrypt(stored) == SECRET
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == SECRET
