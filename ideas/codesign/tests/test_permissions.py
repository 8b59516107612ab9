"""Co-design's decisions are named rules: accounts through ``has_perm``, participants (guests
too) through ``test_rule``; the board draws controls from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rules
from django.utils import timezone

from community.tests.factories import UserFactory
from ideas.codesign.models import Note, Participant, Phase
from ideas.codesign.tests.factories import SessionFactory, designer, person

pytestmark = pytest.mark.django_db


def test_facilitating_is_a_permission_of_the_agencys_designers_only():
    session = SessionFactory(hide_notes=True)
    fac, _ = designer(session.agency)
    assert fac.has_perm("codesign.facilitate_session", session)
    assert fac.has_perm("codesign.create_session", session.agency)
    assert fac.has_perm("codesign.reveal_notes", session)
    other, _ = designer(SessionFactory().agency)
    assert not other.has_perm("codesign.facilitate_session", session)
    assert not UserFactory().has_perm("codesign.facilitate_session", session)


def test_who_may_change_a_note_author_facilitator_guest_removed():
    session = SessionFactory(phase=Phase.DIVERGE)
    user, persona = person()
    author = Participant.objects.create(session=session, account=user, persona=persona)
    guest = Participant.objects.create(session=session, guest_name="Gwen", guest_key="k")
    fac_user, fac_persona = designer(session.agency)
    fac = Participant.objects.create(session=session, account=fac_user, persona=fac_persona)
    note = Note.objects.create(session=session, author=author, text="Cleaner seats")
    card = {"id": note.pk, "author": {"id": author.pk, "name": author.name}}
    for obj in (note, card):
        assert rules.test_rule("codesign.delete_note", author, obj)
        assert rules.test_rule("codesign.delete_note", fac, obj)
        assert not rules.test_rule("codesign.delete_note", guest, obj)
        assert not rules.test_rule("codesign.delete_note", None, obj)
    author.removed_at = timezone.now()
    assert not rules.test_rule("codesign.delete_note", author, note)
    session.phase = Phase.VOTE
    assert not rules.test_rule("codesign.delete_note", fac, note)
    assert rules.test_rule("codesign.vote", guest)


def test_the_board_draws_delete_only_on_notes_the_viewer_may_delete(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    user, persona = person()
    me = Participant.objects.create(session=session, account=user, persona=persona)
    other = Participant.objects.create(session=session, guest_name="Gwen", guest_key="k")
    mine = Note.objects.create(session=session, author=me, text="Mine")
    theirs = Note.objects.create(session=session, author=other, text="Theirs")
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'name="note" value="{mine.pk}"' in page
    assert f'name="note" value="{theirs.pk}"' not in page


# A template that decides by itself: who wrote a note, or which phases allow an action.
SPELLED_RULES = re.compile(
    r"author(\.id|_id)?\s*==|==\s*participant|participant\s+and\s+phase"
    r'|phase\s*(==|!=|in)\s*"?(diverge|cluster|vote|decide)'
)


def test_no_board_template_spells_out_a_permission_rule():
    folder = Path(__file__).resolve().parents[1] / "templates" / "codesign"
    found = {
        path.name: SPELLED_RULES.findall(path.read_text())
        for path in folder.glob("*.html")
        if SPELLED_RULES.search(path.read_text())
    }
    assert found == {}
