"""Changes arriving at once on PostgreSQL: one queued recompute per burst and every change
counted; impressions from several tabs at once all kept. Skipped on SQLite, which
serialises every write anyway."""

from __future__ import annotations

import threading

import pytest

from community.tests.concurrency import race, require_postgres
from ideas.opinion import services
from ideas.opinion.models import BoardImpression, OpinionMap
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    require_postgres()


def test_changes_at_once_count_every_change_and_queue_one_recompute(monkeypatch):
    challenge = ChallengeFactory()
    enqueued, lock = [], threading.Lock()

    def record(kind, subject_id):
        with lock:
            enqueued.append((kind, subject_id))

    monkeypatch.setattr(services, "_enqueue", record)
    results = race([lambda: services.schedule_recompute("board", challenge.pk) for _ in range(8)])
    assert [kind for kind, _ in results] == ["ok"] * 8
    row = OpinionMap.objects.get(kind="board", subject_id=challenge.pk)
    assert row.version == 8
    assert enqueued == [("board", challenge.pk)]


def test_impressions_from_several_tabs_at_once_are_all_kept(monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda kind, subject_id: None)
    challenge = ChallengeFactory()
    ideas = IdeaFactory.create_batch(8, challenge=challenge)
    user, _persona = citizen()
    results = race(
        [
            lambda i=i: services.impressions_record(
                user=user, challenge_id=challenge.pk, idea_ids=[i.pk]
            )
            for i in ideas
        ]
    )
    assert [kind for kind, _ in results] == ["ok"] * 8
    assert BoardImpression.objects.get(user=user).ideas == sorted(i.pk for i in ideas)
