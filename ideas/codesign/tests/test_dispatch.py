"""The board without JavaScript: every action the socket offers is a form posted to the same
action table (ideas.codesign.dispatch), and bad posts say what is wrong and change nothing."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from ideas.codesign import dispatch
from ideas.codesign.consumers import SessionConsumer
from ideas.codesign.models import (
    CodesignSession,
    Dot,
    Note,
    NoteGroup,
    Outcome,
    Participant,
    Phase,
)
from ideas.codesign.tests.factories import SessionFactory, designer, person

pytestmark = pytest.mark.django_db


def _post(client, session, **data) -> str:
    """Post a board form; the page the person lands on (with its message), unescaped."""
    response = client.post(reverse("codesign:act", args=[session.pk]), data, follow=True)
    assert response.redirect_chain[-1][1] == 302
    return html.unescape(response.content.decode())


def _member(session, client=None):
    user, persona = person()
    me = Participant.objects.create(session=session, account=user, persona=persona)
    if client is not None:
        client.force_login(user)
    return me


def _facilitator(session, client, *, join=False):
    user, persona = designer(session.agency)
    client.force_login(user)
    if join:
        return Participant.objects.create(session=session, account=user, persona=persona)
    return user


def _note(session, author, text="Cleaner seats", **kwargs) -> Note:
    return Note.objects.create(session=session, author=author, text=text, **kwargs)


# -- one table ----------------------------------------------------------------------------------


def test_the_socket_and_the_form_share_one_action_table():
    assert SessionConsumer.actions is dispatch.ACTIONS
    assert set(dispatch.FORM_ACTIONS) == set(dispatch.ACTIONS) - {"join", "typing"}


def test_every_form_action_has_a_form_on_the_board_in_some_phase(client):
    session = SessionFactory(hide_notes=True)
    me = _facilitator(session, client, join=True)
    other = _member(session)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    _note(session, me, group=group)
    _note(session, other)
    Outcome.objects.create(
        session=session, title="Real-time signs", position=1, created_by=me.account
    )
    drawn = set()
    for phase in Phase.values:
        if phase == Phase.SUMMARY:
            continue
        CodesignSession.objects.filter(pk=session.pk).update(phase=phase)
        page = client.get(session.get_absolute_url()).content.decode()
        drawn |= {name for name in dispatch.FORM_ACTIONS if f'data-live-action="{name}"' in page}
        drawn |= {name for name in dispatch.FORM_ACTIONS if f'name="action" value="{name}"' in page}
    assert drawn == set(dispatch.FORM_ACTIONS)


# -- participants' actions ------------------------------------------------------------------


def test_a_note_is_added_without_javascript(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    _member(session, client)
    prompt = session.prompts.first()
    page = _post(
        client,
        session,
        action="note_add",
        text="Bigger timetables",
        prompt=prompt.pk,
        colour="pink",
    )
    note = Note.objects.get(session=session)
    assert (note.text, note.prompt, note.colour) == ("Bigger timetables", prompt, "pink")
    assert "Your note is on the board." in page


def test_the_author_edits_their_note_without_javascript_and_others_cannot(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    author = _member(session)
    note = _note(session, author)
    _member(session, client)
    page = _post(client, session, action="note_edit", note=note.pk, version=1, text="Mine now")
    assert "You can only change your own notes." in page
    client.force_login(author.account)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'<label for="edit-text-{note.pk}">' in page
    page = _post(
        client, session, action="note_edit", note=note.pk, version=1, text="Cleaner, drier seats"
    )
    note.refresh_from_db()
    assert (note.text, note.version) == ("Cleaner, drier seats", 2)
    assert "Note changed." in page


def test_a_note_is_taken_out_of_its_group_with_the_no_group_choice(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    me = _member(session, client)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    note = _note(session, me, group=group)
    page = _post(client, session, action="note_move", note=note.pk, version=1, group="")
    note.refresh_from_db()
    assert note.group is None and "Note moved." in page


def test_a_note_is_deleted_without_javascript(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    me = _member(session, client)
    note = _note(session, me)
    page = _post(client, session, action="note_delete", note=note.pk, version=1)
    assert not Note.objects.filter(pk=note.pk).exists() and "Note deleted." in page


def test_groups_are_added_and_renamed_without_javascript(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    _member(session, client)
    assert "Group added." in _post(client, session, action="group_add", name="Comfort")
    group = NoteGroup.objects.get(session=session)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'<label for="rename-{group.pk}">' in page
    page = _post(client, session, action="group_rename", group=group.pk, version=1, name="Seats")
    group.refresh_from_db()
    assert (group.name, group.version) == ("Seats", 2) and "Group renamed." in page


def test_a_facilitator_deletes_a_group_without_javascript_and_its_notes_stay(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    member = _member(session, client)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    note = _note(session, member, group=group)
    page = _post(client, session, action="group_delete", group=group.pk, version=1)
    assert "Only the session's facilitators can do that." in page
    assert NoteGroup.objects.filter(pk=group.pk).exists()
    _facilitator(session, client, join=True)
    page = _post(client, session, action="group_delete", group=group.pk, version=1)
    assert not NoteGroup.objects.filter(pk=group.pk).exists() and "Group deleted." in page
    note.refresh_from_db()
    assert note.group is None


def test_votes_are_cast_and_taken_back_without_javascript(client):
    session = SessionFactory(phase=Phase.VOTE, vote_budget=3)
    me = _member(session, client)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    assert "Votes left: 2." in _post(client, session, action="vote", group=group.pk)
    assert Dot.objects.filter(participant=me, group=group).count() == 1
    assert "Votes left: 3." in _post(client, session, action="unvote", group=group.pk)
    assert not Dot.objects.filter(participant=me).exists()


# -- facilitators' actions ------------------------------------------------------------------


def test_a_facilitator_moves_phases_by_name_or_step_without_javascript(client):
    session = SessionFactory()
    _facilitator(session, client)
    _post(client, session, action="phase", to="next", version=1)
    session.refresh_from_db()
    assert session.phase == Phase.BRIEF
    page = _post(client, session, action="phase", to="vote", version=session.version)
    session.refresh_from_db()
    assert session.phase == Phase.VOTE and "Phase changed." in page


def test_a_facilitator_locks_and_unlocks_the_board_without_javascript(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    _facilitator(session, client)
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'name="locked" value="true"' in page
    _post(client, session, action="lock", locked="true", version=1)
    session.refresh_from_db()
    assert session.locked
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'name="locked" value="false"' in page
    _post(client, session, action="lock", locked="false", version=session.version)
    session.refresh_from_db()
    assert not session.locked


def test_a_facilitator_reveals_hidden_notes_without_javascript(client):
    session = SessionFactory(phase=Phase.DIVERGE, hide_notes=True)
    _note(session, _member(session))
    _facilitator(session, client)
    page = _post(client, session, action="reveal", version=1)
    session.refresh_from_db()
    assert session.revealed and "Every note is now visible." in page


def test_a_facilitator_runs_the_timer_without_javascript(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    _facilitator(session, client)
    page = client.get(session.get_absolute_url()).content.decode()
    assert '<label for="timer-seconds">' in page and '<option value="300" selected>' in page
    assert "Timer started." in _post(
        client, session, action="timer_start", seconds="300", version=1
    )
    session.refresh_from_db()
    assert session.timer_ends_at is not None
    _post(client, session, action="timer_pause", version=session.version)
    session.refresh_from_db()
    paused = session.timer_remaining
    assert session.timer_ends_at is None and 0 < paused <= 300
    page = _post(client, session, action="timer_extend", seconds="60", version=session.version)
    session.refresh_from_db()
    assert session.timer_remaining == paused + 60 and "Timer extended." in page
    page = client.get(session.get_absolute_url()).content.decode()
    assert '<option value="">' in page  # resume where it was paused
    _post(client, session, action="timer_start", seconds="", version=session.version)
    session.refresh_from_db()
    assert session.timer_ends_at is not None and session.timer_remaining is None


def test_a_facilitator_removes_someone_without_javascript(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    target = _member(session)
    _facilitator(session, client)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'name="participant" value="{target.pk}"' in page
    page = _post(client, session, action="remove", participant=target.pk)
    target.refresh_from_db()
    assert target.removed_at is not None
    assert f"{target.name} was removed from the session." in page


def test_a_facilitator_records_and_promotes_an_outcome_without_javascript(client):
    session = SessionFactory(phase=Phase.DECIDE)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    _facilitator(session, client)
    page = _post(
        client,
        session,
        action="outcome_add",
        title="Clean seats weekly",
        description="",
        group=group.pk,
    )
    outcome = Outcome.objects.get(session=session)
    assert (outcome.title, outcome.group) == ("Clean seats weekly", group)
    assert "Outcome recorded." in page
    page = _post(client, session, action="outcome_promote", outcome=outcome.pk)
    outcome.refresh_from_db()
    assert outcome.backlog_item is not None
    assert "“Clean seats weekly” is now a draft in the backlog." in page


# -- bad posts: a clear message, nothing changed ---------------------------------------------------


def test_a_missing_field_is_named_and_nothing_changes(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    me = _member(session, client)
    note = _note(session, me)
    page = _post(client, session, action="note_delete", note=note.pk)
    assert "This form is missing “version”." in page
    assert Note.objects.filter(pk=note.pk).exists()


def test_garbage_numbers_and_booleans_are_refused_not_defaulted(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    me = _member(session, client)
    note = _note(session, me)
    page = _post(client, session, action="note_delete", note=note.pk, version="one")
    assert "“one” is not a whole number (version)." in page
    assert Note.objects.filter(pk=note.pk).exists()
    _facilitator(session, client)
    page = _post(client, session, action="lock", locked="maybe", version=1)
    assert "“maybe” is not yes or no (locked)." in page
    session.refresh_from_db()
    assert not session.locked and session.version == 1


def test_a_value_outside_the_schema_is_refused(client):
    session = SessionFactory()
    _facilitator(session, client)
    page = _post(client, session, action="phase", to="sideways", version=1)
    assert "The value of “to” is not valid." in page
    session.refresh_from_db()
    assert session.phase == Phase.LOBBY


def test_an_action_in_the_wrong_phase_is_refused(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    me = _member(session, client)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    page = _post(client, session, action="vote", group=group.pk)
    assert "You cannot do that while the session is in" in page
    assert not Dot.objects.filter(participant=me).exists()


def test_a_stale_version_is_refused_and_nothing_changes(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    me = _member(session, client)
    note = _note(session, me, version=2)
    page = _post(client, session, action="note_edit", note=note.pk, version=1, text="Old view")
    assert "Someone changed this a moment ago" in page
    note.refresh_from_db()
    assert (note.text, note.version) == ("Cleaner seats", 2)


def test_a_locked_board_and_a_spent_budget_are_refused(client):
    session = SessionFactory(phase=Phase.VOTE, vote_budget=1, locked=True)
    me = _member(session, client)
    group = NoteGroup.objects.create(session=session, name="Comfort")
    assert "The facilitator has locked the board." in _post(
        client, session, action="vote", group=group.pk
    )
    CodesignSession.objects.filter(pk=session.pk).update(locked=False)
    _post(client, session, action="vote", group=group.pk)
    page = _post(client, session, action="vote", group=group.pk)
    assert "You have used all 1 of your votes." in page
    assert Dot.objects.filter(participant=me).count() == 1


def test_people_who_have_not_joined_are_told_to_join(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    user, _persona = person()
    client.force_login(user)
    page = _post(client, session, action="note_add", text="Hello")
    assert "Join the session first." in page
    assert not Note.objects.filter(session=session).exists()


def test_facilitator_actions_need_an_account_and_the_role(client):
    session = SessionFactory()
    page = _post(client, session, action="phase", to="next", version=1)
    assert "Sign in to do that." in page
    _member(session, client)
    page = _post(client, session, action="phase", to="next", version=1)
    assert "Only the session's facilitators can do that." in page
    session.refresh_from_db()
    assert session.phase == Phase.LOBBY


def test_unknown_and_socket_only_actions_are_refused(client):
    session = SessionFactory(phase=Phase.DIVERGE)
    _member(session, client)
    for action in ("explode", "typing", "join", ""):
        page = _post(client, session, action=action)
        assert "That action is not known." in page
