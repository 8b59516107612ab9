"""The embedded default (SQLite) never answers 500 when writers contend.

The served-site proof (six people writing at once) is tests/e2e/test_served_contention.py;
here: the database settings that make writers queue, and the answer when one still cannot.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from config import env
from config.middleware import DatabaseUnavailableMiddleware


def _middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


def test_sqlite_runs_in_wal_with_immediate_transactions_and_a_busy_timeout(tmp_path):
    config = env.database_config(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    options = config["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10


def _connect(path, options):
    connection = sqlite3.connect(path, timeout=options["timeout"], isolation_level=None)
    for command in options["init_command"].split(";"):
        if command.strip():
            connection.execute(command)
    return connection


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
    """Two transactions that read then write, as Django's services do. With SQLite's default
    (DEFERRED) the second fails at once with "database is locked" whatever the timeout; in
    our transaction mode it waits for the first to commit."""
    path = tmp_path / "db.sqlite3"
    options = env.database_config(f"sqlite:///{path}")["OPTIONS"]
    begin = f"BEGIN {options['transaction_mode']}"
    setup = _connect(path, options)
    setup.execute("CREATE TABLE t (n INTEGER)")
    setup.execute("INSERT INTO t VALUES (0)")
    errors: list[Exception] = []
    first_has_lock = threading.Event()

    def increment(hold: float) -> None:
        connection = _connect(path, options)
        try:
            connection.execute(begin)
            (value,) = connection.execute("SELECT n FROM t").fetchone()
            if hold:
                first_has_lock.set()
                threading.Event().wait(hold)
            connection.execute("UPDATE t SET n = ?", [value + 1])
            connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=increment, args=(0.5,))
    first.start()
    first_has_lock.wait(5)
    increment(0)
    first.join()

    assert errors == []
    assert setup.execute("SELECT n FROM t").fetchone()[0] == 2


@pytest.mark.django_db
def test_a_form_that_meets_a_locked_database_gets_a_busy_page_that_leads_back():
    request = RequestFactory().post(
        "/accounts/personas/", HTTP_REFERER="http://testserver/accounts/personas/"
    )
    response = _middleware().process_exception(request, OperationalError("database is locked"))

    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "The site is busy — please try again" in body
    assert 'href="http://testserver/accounts/personas/"' in body


@pytest.mark.django_db
def test_the_busy_page_never_links_to_another_site():
    request = RequestFactory().post("/accounts/personas/", HTTP_REFERER="https://evil.example/")
    response = _middleware().process_exception(request, OperationalError("database is locked"))

    assert "evil.example" not in response.content.decode()


def test_the_api_gets_a_json_busy_answer():
    request = RequestFactory().post("/api/v1/ideas/", content_type="application/json")
    response = _middleware().process_exception(request, OperationalError("database is locked"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"]
    assert b'"error": "busy"' in response.content
