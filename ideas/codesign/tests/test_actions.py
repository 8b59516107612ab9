"""Session actions: rules each write enforces, moderation of notes, guests, and outcomes
reaching the backlog and closing the loop with participants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import Notification
from community.moderation import actions as mod
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import OrganisationFactory, UserFactory
from ideas.backlog import actions as backlog_actions
from ideas.backlog.models import ItemStatus
from ideas.codesign import actions, events, selectors
from ideas.codesign.models import CodesignSession, Note, NoteGroup, Participant, Phase
from ideas.codesign.tests.factories import SessionFactory, designer, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    sent: list[tuple[str, object, dict]] = []
    real = events.publish

    def record(*, stream, type, object_id, data):
        real(stream=stream, type=type, object_id=object_id, data=data)
        sent.append((type, object_id, data))

    monkeypatch.setattr(events, "publish", record)
    return sent


def _session(phase=Phase.DIVERGE, **kwargs):
    agency = OrganisationFactory()
    fac, fac_persona = designer(agency)
    session = SessionFactory(agency=agency, phase=phase, **kwargs)
    return session, fac, fac_persona


def _join(session, user=None, persona=None):
    if user is None:
        user, persona = person()
    return actions.participant_join(user=user, session=session, persona=persona)


def test_only_the_agencys_service_designers_can_schedule_a_session():
    agency = OrganisationFactory()
    fac, _ = designer(agency)
    outsider, _ = designer(OrganisationFactory())
    kwargs = {
        "agency": agency,
        "title": "Bus workshop",
        "goal": "Decide what to fix first",
        "scheduled_at": timezone.now() + timedelta(days=1),
        "prompts": ["What works?", ""],
    }
    with pytest.raises(PermissionDenied):
        actions.session_create(user=outsider, **kwargs)
    session = actions.session_create(user=fac, **kwargs)
    assert [p.text for p in session.prompts.all()] == ["What works?"]
    assert len(session.code) == 6 and session.phase == Phase.LOBBY
    with pytest.raises(ValidationError) as exc:
        actions.session_create(user=fac, **{**kwargs, "prompts": [], "title": ""})
    assert set(exc.value.message_dict) == {"title", "prompts"}


def test_guests_join_only_when_allowed_and_are_shown_as_guests():
    session, _fac, _ = _session()
    with pytest.raises(PermissionDenied):
        actions.participant_join(user=None, session=session, guest_name="Gwen")
    session.allow_guests = True
    session.save()
    with pytest.raises(ValidationError):
        actions.participant_join(user=None, session=session, guest_name="  ")
    guest = actions.participant_join(user=None, session=session, guest_name="Gwen")
    assert guest.name == "Gwen (guest)" and guest.account_id is None and len(guest.guest_key) > 20


def test_a_guests_note_with_personal_data_is_held_and_published_to_nobody(published):
    session, _fac, _ = _session(allow_guests=True)
    guest = actions.participant_join(user=None, session=session, guest_name="Gwen")
    published.clear()
    note = actions.note_add(participant=guest, session=session, text="call me on 07700 900123")
    assert note.screening.held
    assert Note.objects.get(pk=note.pk).is_hidden
    assert published == []  # no note.created: the board never shows it
    snapshot = selectors.board_snapshot(session, viewer=None, sees_all=True)
    assert snapshot["notes"] == []
    # A guest's link is held too (guests are screened like brand-new accounts).
    linked = actions.note_add(
        participant=guest, session=session, text="see https://cheap-deals.biz/now"
    )
    assert linked.screening.held


def test_a_moderator_hiding_a_note_removes_it_live_and_from_snapshots(published):
    session, _fac, _ = _session()
    author = _join(session)
    note = actions.note_add(participant=author, session=session, text="Bob is an idiot")
    actions.note_add(participant=author, session=session, text="More buses")
    mod.report_create(user=UserFactory(), obj=note, reason="abuse")
    case = ModerationCase.objects.get(object_id=note.pk, content_type__model="note")
    published.clear()
    mod.case_decide(
        moderator=moderator(agency=session.agency),
        case=case,
        version=1,
        action="hide",
        reason="abuse",
    )
    snapshot = selectors.board_snapshot(session, viewer=author, sees_all=False)
    assert [n["text"] for n in snapshot["notes"]] == ["More buses"]
    with pytest.raises(Note.DoesNotExist):
        actions.note_edit(participant=author, note_id=note.pk, version=1, text="sorry")


def test_hidden_notes_are_placeholders_for_others_until_the_reveal():
    session, fac, _fac_persona = _session(hide_notes=True)
    alice, bob = _join(session), _join(session)
    actions.note_add(participant=alice, session=session, text="Secret idea")
    for viewer, sees_all, text in (
        (bob, False, ""),
        (alice, False, "Secret idea"),
        (None, True, "Secret idea"),
    ):
        notes = selectors.board_snapshot(session, viewer=viewer, sees_all=sees_all)["notes"]
        assert notes[0]["text"] == text and "_private" not in notes[0]
    actions.notes_reveal(user=fac, session=session, version=session.version)
    session.refresh_from_db()
    notes = selectors.board_snapshot(session, viewer=bob, sees_all=False)["notes"]
    assert notes[0]["text"] == "Secret idea"


def test_only_the_author_or_a_facilitator_edits_a_note_and_versions_guard_edits():
    session, fac, fac_persona = _session()
    alice, bob = _join(session), _join(session)
    facilitator = _join(session, fac, fac_persona)
    note = actions.note_add(participant=alice, session=session, text="Cleaner stops")
    with pytest.raises(PermissionDenied):
        actions.note_edit(participant=bob, note_id=note.pk, version=1, text="Mine now")
    actions.note_edit(participant=facilitator, note_id=note.pk, version=1, text="Cleaner bus stops")
    with pytest.raises(ValidationError) as exc:
        actions.note_edit(participant=alice, note_id=note.pk, version=1, text="Old view")
    assert exc.value.code == "stale"
    assert Note.objects.get(pk=note.pk).text == "Cleaner bus stops"


def test_a_locked_board_refuses_participants_but_not_facilitators():
    session, fac, fac_persona = _session()
    alice = _join(session)
    facilitator = _join(session, fac, fac_persona)
    actions.board_lock(user=fac, session=session, locked=True, version=1)
    with pytest.raises(ValidationError) as exc:
        actions.note_add(participant=alice, session=session, text="Hello")
    assert exc.value.code == "locked"
    actions.note_add(participant=facilitator, session=session, text="Framing note")


def test_removed_participants_lose_their_votes_and_cannot_act():
    session, fac, _ = _session(phase=Phase.VOTE)
    alice = _join(session)
    group = NoteGroup.objects.create(session=session, name="Info")
    actions.dot_cast(participant=alice, session=session, group_id=group.pk)
    actions.participant_remove(user=fac, session=session, participant_id=alice.pk)
    assert not alice.dots.exists()
    with pytest.raises(PermissionDenied):
        actions.dot_cast(participant=alice, session=session, group_id=group.pk)
    with pytest.raises(PermissionDenied):
        _join(session, alice.account, alice.persona)


def test_the_summary_phase_ends_the_session_for_good():
    session, fac, _ = _session(phase=Phase.DECIDE)
    actions.timer_start(user=fac, session=session, seconds=60, version=1)
    ended = actions.phase_set(user=fac, session=session, phase=Phase.SUMMARY, version=2)
    assert ended.ended_at is not None and ended.timer_ends_at is None
    with pytest.raises(ValidationError):
        actions.phase_set(user=fac, session=session, phase=Phase.DECIDE, version=ended.version)
    assert [c.phase for c in ended.phase_changes.all()] == ["summary"]


def _promoted(session, fac):
    alice, bob = _join(session), _join(session)
    group = NoteGroup.objects.create(session=session, name="Info")
    outcome = actions.outcome_create(
        user=fac, session=session, title="Arrival screens", group_id=group.pk
    )
    item = actions.outcome_promote(user=fac, outcome=outcome)
    return alice, bob, outcome, item


def test_promoting_an_outcome_adds_a_private_new_item_and_refuses_a_second_time():
    session, fac, _ = _session(phase=Phase.DECIDE)
    _alice, _bob, outcome, item = _promoted(session, fac)
    assert item.status == ItemStatus.NEW and not item.is_public
    assert item.source_links.get().object_id == outcome.pk
    assert Notification.objects.count() == 0
    with pytest.raises(ValidationError):
        actions.outcome_promote(user=fac, outcome=outcome)


def test_a_public_change_on_the_promoted_item_tells_each_participant_exactly_once():
    session, fac, fac_persona = _session(phase=Phase.DECIDE)
    _join(session, fac, fac_persona)
    alice, bob, _outcome, item = _promoted(session, fac)
    backlog_actions.item_update(user=fac, item=item, is_public=True)
    backlog_actions.item_transition(user=fac, item=item, status=ItemStatus.TRIAGED)
    told = list(Notification.objects.values_list("recipient_id", flat=True))
    assert sorted(told) == sorted([alice.account_id, bob.account_id])
    assert Notification.objects.filter(category="backlog.status").count() == 2


def test_the_snapshot_and_summary_take_the_same_number_of_queries_as_sessions_grow(
    django_assert_num_queries,
):
    session, fac, _fac_persona = _session(phase=Phase.CLUSTER, hide_notes=True)
    viewer = _join(session)

    def grow(n):
        for i in range(n):
            part = Participant.objects.create(session=session, account=person()[0])
            group = NoteGroup.objects.create(session=session, name=f"G{i}")
            Note.objects.create(session=session, author=part, text=f"Note {i}", group=group)

    def measure(call):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    grow(1)
    fresh = CodesignSession.objects.get(pk=session.pk)
    snap_small = measure(lambda: selectors.board_snapshot(fresh, viewer=viewer, sees_all=False))
    sum_small = measure(lambda: selectors.summary(fresh))
    selectors.sessions_listed(fac)  # the viewer's roles are read once per request
    list_small = measure(lambda: selectors.sessions_listed(fac))
    grow(6)
    SessionFactory.create_batch(3, agency=session.agency)
    with django_assert_num_queries(snap_small):
        data = selectors.board_snapshot(fresh, viewer=viewer, sees_all=False)
    assert len(data["notes"]) == 7
    with django_assert_num_queries(sum_small):
        selectors.summary(fresh)
    with django_assert_num_queries(list_small):
        listed = selectors.sessions_listed(fac)
    assert len(listed["upcoming"]) == 4


def test_the_facilitator_can_step_back_a_phase_but_not_before_the_lobby():
    session, fac, _ = _session(phase=Phase.LOBBY)
    with pytest.raises(ValidationError):
        actions.phase_step(user=fac, session=session, direction="back", version=1)
    session = actions.phase_step(user=fac, session=session, direction="next", version=1)
    session = actions.phase_step(user=fac, session=session, direction="back", version=2)
    assert session.phase == Phase.LOBBY and session.version == 3
    assert [c.phase for c in session.phase_changes.all()] == ["brief", "lobby"]


def test_a_stale_notes_present_state_hides_concealed_text_from_everyone_but_author_and_facilitators():
    from ideas.codesign.tests.factories import NoteFactory

    note = NoteFactory(session__phase=Phase.DIVERGE, session__hide_notes=True)
    account, persona = person()
    other = Participant.objects.create(session=note.session, account=account, persona=persona)
    sid = note.session_id

    def seen(viewer_id, sees_all=False):
        return selectors.current_object(
            sid, "note", note.pk, viewer_id=viewer_id, sees_all=sees_all
        )

    assert seen(other.pk)["note"]["text"] == "" and seen(other.pk)["note"]["concealed"] is True
    assert seen(note.author_id)["note"]["text"] == note.text
    assert seen(None, sees_all=True)["note"]["text"] == note.text
    assert "_private" not in seen(other.pk)["note"]
    # Another session's note, or one a moderator hid, is simply gone.
    assert selectors.current_object(sid + 1, "note", note.pk, viewer_id=None, sees_all=True) is None
    Note.objects.filter(pk=note.pk).update(is_hidden=True)
    assert seen(note.author_id) is None
