"""Migration 0002 carries the exchange's own reports, hidden flags and suspensions into the
one moderation mechanism before dropping them: nothing hidden reappears, nothing is lost."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("exchange", "0001_initial"), ("moderation", "0001_initial")]
AFTER = [("exchange", "0002_moderation_generic")]


@pytest.mark.django_db(transaction=True)
def test_old_exchange_moderation_rows_move_into_the_generic_tables():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("community", "User")
    Persona = old.get_model("community", "Persona")
    Post = old.get_model("exchange", "Post")
    Report = old.get_model("exchange", "Report")
    Suspension = old.get_model("exchange", "Suspension")

    def person(name):
        user = User.objects.create(username=name, email=f"{name}@mail.example")
        persona = Persona.objects.create(
            account=user, display_name=name.title(), slug=name, name_key=name
        )
        return user, persona

    author, author_persona = person("author")
    reporter, _ = person("reporter")
    moderator, _ = person("moderator")
    today = timezone.localdate()
    post = lambda title, **kw: Post.objects.create(  # noqa: E731
        kind="offer",
        title=title,
        description="<p>x</p>",
        category="other",
        area="riverside",
        mode="remote",
        persona=author_persona,
        expires_on=today + datetime.timedelta(days=9),
        **kw,
    )
    hidden = post("Hidden advert", is_hidden=True)
    waiting = post("Waiting post")
    now = timezone.now()
    Report.objects.create(
        reporter=reporter,
        post=hidden,
        reason="scam",
        status="actioned",
        handled_by=moderator,
        handled_at=now,
        resolution="hide: advert",
    )
    Report.objects.create(reporter=reporter, post=waiting, reason="contact", details="phone")
    Suspension.objects.create(user=author, reason="Scams", created_by=moderator)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Case = new.get_model("moderation", "ModerationCase")
    NewReport = new.get_model("moderation", "Report")
    Action = new.get_model("moderation", "ModerationAction")
    NewSuspension = new.get_model("moderation", "Suspension")

    hidden_case = Case.objects.get(content_type__model="post", object_id=hidden.pk)
    assert (hidden_case.state, hidden_case.is_hidden, hidden_case.public_reason) == (
        "hidden",
        True,
        "illegal",
    )
    waiting_case = Case.objects.get(content_type__model="post", object_id=waiting.pk)
    assert (waiting_case.state, waiting_case.is_hidden, waiting_case.report_count) == (
        "pending",
        False,
        1,
    )
    assert set(NewReport.objects.values_list("reason", flat=True)) == {"illegal", "personal_data"}
    assert Action.objects.filter(action="hide", actor_id=moderator.pk).count() == 1
    assert Action.objects.filter(action="report").count() == 2
    ban = NewSuspension.objects.get()
    assert ban.account_id == author.pk and ban.ends_at is None and ban.lifted_at is None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the schema as it was
