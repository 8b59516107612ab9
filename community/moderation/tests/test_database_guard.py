"""On PostgreSQL the database itself keeps the audit log append-only (migration 0002)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from community.moderation import actions
from community.moderation.models import ModerationAction
from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("database triggers are installed on PostgreSQL only (set DATABASE_URL)")


def _audit_row() -> ModerationAction:
    actions.report_create(user=UserFactory(), obj=PersonaFactory(), reason="abuse", text="x")
    return ModerationAction.objects.get()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE moderation_moderationaction SET note = 'rewritten' WHERE id = %s",
        "UPDATE moderation_moderationaction SET action = 'approve' WHERE id = %s",
        "UPDATE moderation_moderationaction SET actor_id = NULL, note = '' WHERE id = %s",
        "DELETE FROM moderation_moderationaction WHERE id = %s",
    ],
)
def test_raw_sql_cannot_rewrite_or_delete_the_audit_log(sql):
    row = _audit_row()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [row.pk])
    assert ModerationAction.objects.filter(pk=row.pk, note=row.note).exists()


def test_a_really_deleted_user_is_set_to_null_as_the_foreign_key_says():
    row = _audit_row()
    reporter = row.actor
    assert reporter is not None
    reporter.delete()  # hard delete (account deletion tombstones instead): SET_NULL passes
    row = ModerationAction.objects.get(pk=row.pk)
    assert row.actor_id is None and row.action == "report"
