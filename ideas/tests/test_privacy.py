"""What the boards hold about a person appears in their own export, and only there."""

import json

import pytest

from community.privacy import export_sections
from ideas import actions
from ideas.tests.factories import CommentFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _sections():
    return {s.key: s for s in export_sections()}


def test_exporters_are_registered_with_contributions_marked():
    sections = _sections()
    assert sections["ideas"].contributions
    assert sections["ideas_comments"].contributions
    assert not sections["ideas_support"].contributions


def test_export_holds_own_ideas_comments_and_support_as_plain_data():
    user, persona = citizen()
    mine = IdeaFactory(persona=persona, title="My idea")
    IdeaFactory(title="Not mine")
    CommentFactory(persona=persona, idea=mine, body="My comment")
    actions.vote_cast(user=user, idea=IdeaFactory(challenge=mine.challenge, title="Backed"))
    sections = _sections()
    ideas = sections["ideas"].export(user)
    comments = sections["ideas_comments"].export(user)
    support = sections["ideas_support"].export(user)
    json.dumps([ideas, comments, support])
    assert [i["title"] for i in ideas] == ["My idea"]
    assert ideas[0]["posted_as"] == persona.display_name
    assert [c["body"] for c in comments] == ["My comment"]
    assert [s["idea"] for s in support] == ["Backed"]
