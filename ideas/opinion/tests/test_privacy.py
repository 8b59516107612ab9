"""Impressions are personal data: in the owner's export only, gone when the account is."""

from __future__ import annotations

import pytest

from community.actions import account_delete
from community.privacy import build_export
from ideas.opinion.models import BoardImpression
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _impression():
    challenge = ChallengeFactory(question="How might we fix the buses?")
    idea = IdeaFactory(challenge=challenge)
    user, _persona = citizen()
    BoardImpression.objects.create(user=user, challenge=challenge, ideas=[idea.pk])
    return user, challenge, idea


def test_the_export_lists_which_ideas_each_board_showed_the_person_and_only_them():
    user, challenge, idea = _impression()
    _impression()  # someone else's
    items = build_export(user)["sections"]["opinion_board_impressions"]["items"]
    assert [(i["challenge_id"], i["ideas_shown"]) for i in items] == [(challenge.pk, [idea.pk])]
    assert "How might we fix the buses?" in str(items)


def test_deleting_the_account_erases_its_impressions():
    user, _challenge, _idea = _impression()
    other, _c, _i = _impression()
    account_delete(user=user)
    assert not BoardImpression.objects.filter(user=user).exists()
    assert BoardImpression.objects.filter(user=other).exists()
