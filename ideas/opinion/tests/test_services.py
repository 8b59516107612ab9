"""Recompute scheduling (debounced, nothing lost under concurrent changes), stored maps,
and impressions: what the board's map may count as "seen"."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from community.tests.factories import UserFactory
from ideas import actions as idea_actions
from ideas.opinion import board, services, sources
from ideas.opinion.models import BoardImpression, OpinionMap
from ideas.opinion.tests.factories import compute_now, planted_board
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory, citizen

pytestmark = pytest.mark.django_db


def test_a_burst_of_changes_queues_one_recompute(django_capture_on_commit_callbacks):
    challenge = ChallengeFactory()
    with django_capture_on_commit_callbacks() as queued:
        for _ in range(3):
            services.schedule_recompute("board", challenge.pk)
    row = OpinionMap.objects.get(kind="board", subject_id=challenge.pk)
    assert row.version == 3 and row.queued_at is not None
    assert len(queued) == 1


def test_a_change_during_a_computation_queues_another_run(
    monkeypatch, django_capture_on_commit_callbacks
):
    challenge, _ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    services.schedule_recompute("board", challenge.pk)
    real_load = board.load

    def load_while_someone_votes(subject_id):
        matrix = real_load(subject_id)
        services.schedule_recompute("board", subject_id)  # a vote commits meanwhile
        return matrix

    source = sources.source("board")
    monkeypatch.setitem(
        sources._sources, "board", dataclasses.replace(source, load=load_while_someone_votes)
    )
    with django_capture_on_commit_callbacks() as queued:
        row = services.map_recompute(kind="board", subject_id=challenge.pk)
    assert row.status == OpinionMap.Status.READY and row.votes_seen == 1
    row.refresh_from_db()
    assert row.version == 2 and row.queued_at is not None  # the late vote has its own run
    assert len(queued) == 2  # its enqueue, and the opinion.map event


def test_a_run_that_finishes_after_a_newer_one_does_not_overwrite_it():
    challenge, _ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    row = compute_now("board", challenge.pk)
    OpinionMap.objects.filter(pk=row.pk).update(votes_seen=5, version=5, result=None)
    services.map_recompute(kind="board", subject_id=challenge.pk)  # computes from version 5
    OpinionMap.objects.filter(pk=row.pk).update(version=4)  # an older run's view
    row.refresh_from_db()
    assert row.votes_seen == 5 and row.result is not None


def test_a_lost_queued_run_is_queued_again_by_the_next_change(django_capture_on_commit_callbacks):
    challenge = ChallengeFactory()
    services.schedule_recompute("board", challenge.pk)
    OpinionMap.objects.update(queued_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks() as queued:
        services.schedule_recompute("board", challenge.pk)
    assert len(queued) == 1


def test_the_map_of_a_deleted_board_is_deleted_with_it():
    challenge, _ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    compute_now("board", challenge.pk)
    pk = challenge.pk
    services.schedule_recompute("board", pk)
    challenge.delete()
    assert services.map_recompute(kind="board", subject_id=pk) is None
    assert not OpinionMap.objects.exists()


def test_a_board_without_recorded_impressions_gets_no_map():
    challenge = ChallengeFactory()
    IdeaFactory.create_batch(3, challenge=challenge)
    row = compute_now("board", challenge.pk)
    assert row.status == OpinionMap.Status.NO_IMPRESSIONS and row.result is None


def test_planted_groups_are_found_and_the_stored_map_names_nobody():
    challenge, ideas = planted_board([(6, [0, 1, 2, 5]), (6, [3, 4, 5])])
    row = compute_now("board", challenge.pk)
    assert row.status == OpinionMap.Status.READY
    assert sorted(g["size"] for g in row.result["groups"]) == [6, 6]
    assert [c["statement"] for c in row.result["consensus"]] == [ideas[5].pk]
    people = set(BoardImpression.objects.values_list("user_id", flat=True))
    assert "assignment" not in row.result
    assert not {str(pk) for pk in people} & set(str(row.result).split())


def test_seen_but_not_supported_counts_as_seen_so_consensus_divides_by_those_who_saw():
    # Idea 5 is supported by everyone who saw it; half the board never saw it.
    challenge, _ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    later = IdeaFactory(challenge=challenge, title="Late idea")
    for impression in BoardImpression.objects.filter(challenge=challenge)[:5]:
        services.impressions_record(
            user=impression.user, challenge_id=challenge.pk, idea_ids=[later.pk]
        )
        VoteFactory(idea=later, account=impression.user)
    row = compute_now("board", challenge.pk)
    totals = {s[0]: s[1:] for s in row.result["statements"]}
    assert totals[later.pk] == [5, 0, 0]  # 5 agree of 5 who saw, not of 12


def test_recording_impressions_merges_and_writes_nothing_when_nothing_is_new(
    django_assert_max_num_queries,
):
    challenge = ChallengeFactory()
    a, b, _c = IdeaFactory.create_batch(3, challenge=challenge)
    user = UserFactory()
    assert services.impressions_record(user=user, challenge_id=challenge.pk, idea_ids=[b.pk]) == 1
    assert (
        services.impressions_record(user=user, challenge_id=challenge.pk, idea_ids=[a.pk, b.pk])
        == 1
    )
    with django_assert_max_num_queries(1):  # none once the cache knows
        assert (
            services.impressions_record(user=user, challenge_id=challenge.pk, idea_ids=[a.pk]) == 0
        )
    assert BoardImpression.objects.get(user=user).ideas == sorted([a.pk, b.pk])


def test_hidden_and_other_boards_ideas_are_not_shown_ideas():
    challenge = ChallengeFactory()
    shown = IdeaFactory(challenge=challenge)
    elsewhere = IdeaFactory()
    merged = IdeaFactory(challenge=challenge, merged_into=shown)
    assert board.shown_idea_ids(challenge.pk, [shown.pk, elsewhere.pk, merged.pk]) == {shown.pk}


@pytest.mark.django_db(transaction=True)
def test_supporting_an_idea_recomputes_the_boards_map_in_the_background():
    challenge, ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    user, _persona = citizen()
    services.impressions_record(user=user, challenge_id=challenge.pk, idea_ids=[ideas[0].pk])
    row = OpinionMap.objects.get(kind="board", subject_id=challenge.pk)
    first = row.votes_seen
    idea_actions.vote_cast(user=user, idea=ideas[0])
    row.refresh_from_db()
    assert row.votes_seen == row.version > first
    assert row.status == OpinionMap.Status.READY and row.queued_at is None
    idea_actions.vote_withdraw(user=user, idea=ideas[0])
    assert OpinionMap.objects.get(pk=row.pk).votes_seen == row.version + 1
