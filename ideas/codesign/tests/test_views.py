"""Session pages work without JavaScript: list, schedule, join (persona or guest), the board's
forms, the summary and its exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.tests.factories import OrganisationFactory, UserFactory
from ideas.codesign import actions
from ideas.codesign.models import CodesignSession, Note, NoteGroup, Participant, Phase
from ideas.codesign.tests.factories import SessionFactory, designer, person

pytestmark = pytest.mark.django_db


def test_the_list_shows_open_sessions_and_hides_invited_ones_from_strangers(client):
    SessionFactory(title="Open bus workshop")
    SessionFactory(title="Secret staff workshop", visibility="invited")
    page = client.get(reverse("codesign:session_list")).content.decode()
    assert "Open bus workshop" in page and "Secret staff workshop" not in page


def test_the_session_list_takes_the_same_number_of_queries_as_sessions_grow(
    client, django_assert_max_num_queries
):
    SessionFactory.create_batch(2)
    client.get(reverse("codesign:session_list"))
    SessionFactory.create_batch(8)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("codesign:session_list"))
    assert response.content.decode().count('class="card"') == 10


def test_a_designer_schedules_a_session_and_others_cannot(client):
    agency = OrganisationFactory(slug="transport")
    user, _ = designer(agency)
    url = reverse("codesign:session_create", args=["transport"])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.post(
        url,
        {
            "title": "Bus stops",
            "goal": "Pick the first fixes",
            "scheduled_at": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "prompts": "What works?\nWhat gets in the way?",
            "visibility": "open",
            "vote_budget": 5,
            "group_cap": 3,
        },
    )
    session = CodesignSession.objects.get(title="Bus stops")
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert session.prompts.count() == 2


def test_a_guest_joins_by_code_adds_a_note_and_sees_their_name(client):
    session = SessionFactory(visibility="invited", allow_guests=True, phase=Phase.DIVERGE)
    assert client.get(session.get_absolute_url()).status_code == 404
    response = client.get(reverse("codesign:join_by_code"), {"code": session.code.lower()})
    assert response.url == reverse("codesign:join", args=[session.code])
    client.post(response.url, {"guest_name": "Gwen"})
    guest = Participant.objects.get(session=session)
    assert guest.guest_name == "Gwen" and guest.account_id is None
    prompt = session.prompts.first()
    client.post(
        reverse("codesign:act", args=[session.pk]),
        {"action": "note_add", "text": "Bigger timetables", "prompt": prompt.pk},
    )
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Bigger timetables" in page and "Gwen (guest)" in page
    assert "@example.org" not in page


def test_the_board_without_javascript_moves_a_note_to_a_group_from_a_menu(client):
    session = SessionFactory(phase=Phase.CLUSTER)
    user, persona = person()
    me = Participant.objects.create(session=session, account=user, persona=persona)
    note = Note.objects.create(session=session, author=me, text="Cleaner seats")
    group = NoteGroup.objects.create(session=session, name="Comfort")
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'<label for="move-{note.pk}">Move to group</label>' in page
    client.post(
        reverse("codesign:act", args=[session.pk]),
        {"action": "note_move", "note": note.pk, "version": 1, "group": group.pk},
    )
    assert Note.objects.get(pk=note.pk).group == group
    response = client.post(
        reverse("codesign:act", args=[session.pk]),
        {"action": "note_move", "note": note.pk, "version": 1, "group": ""},
        follow=True,
    )
    assert "Someone changed this a moment ago" in response.content.decode()
    assert Note.objects.get(pk=note.pk).group == group


def _finished(visibility="open"):
    agency = OrganisationFactory()
    fac, _fac_persona = designer(agency)
    session = SessionFactory(agency=agency, phase=Phase.DECIDE, visibility=visibility)
    member, persona = person()
    me = Participant.objects.create(session=session, account=member, persona=persona)
    group = NoteGroup.objects.create(session=session, name="=Information")
    Note.objects.create(session=session, author=me, text="=HYPERLINK(evil)", group=group)
    outcome = actions.outcome_create(
        user=fac, session=session, title="Arrival screens", group_id=group.pk
    )
    actions.outcome_promote(user=fac, outcome=outcome)
    session.refresh_from_db()
    actions.phase_set(user=fac, session=session, phase=Phase.SUMMARY, version=session.version)
    return session, fac, member


def test_the_summary_lists_outcomes_groups_and_notes_and_exports_defuse_formulas(client):
    session, _fac, _member = _finished()
    page = client.get(reverse("codesign:summary", args=[session.pk])).content.decode()
    assert "Arrival screens" in page and "In the backlog" in page and "=HYPERLINK(evil)" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("codesign:export_csv", args=[session.pk])).content.decode()
            )
        )
    )
    assert rows[0][:3] == ["kind", "id", "prompt"]
    note_row = next(r for r in rows if r[0] == "note")
    assert note_row[5] == "'=HYPERLINK(evil)" and note_row[3] == "'=Information"
    markdown = client.get(reverse("codesign:export_md", args=[session.pk])).content.decode()
    assert markdown.startswith(f"# {session.title}") and "**Arrival screens**" in markdown


def test_an_invited_sessions_summary_is_for_participants_and_staff_only(client):
    session, fac, member = _finished(visibility="invited")
    url = reverse("codesign:summary", args=[session.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for user in (member, fac):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_summary_query_count_stays_constant_as_notes_grow(
    client, django_assert_max_num_queries
):
    session, _fac, member = _finished()
    me = Participant.objects.get(session=session, account=member)
    url = reverse("codesign:summary", args=[session.pk])
    client.get(url)
    for i in range(10):
        group = NoteGroup.objects.create(session=session, name=f"G{i}")
        Note.objects.create(session=session, author=me, text=f"N{i}", group=group)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_without_guests_the_join_page_asks_to_sign_in_and_explains_no_guest_names(client):
    session = SessionFactory(allow_guests=False)
    page = client.get(reverse("codesign:join", args=[session.code])).content.decode()
    assert "does not take guests" in page and "Sign in to join" in page
    assert "the name you choose here" not in page and 'name="guest_name"' not in page
    guests_welcome = SessionFactory(allow_guests=True)
    page = client.get(reverse("codesign:join", args=[guests_welcome.code])).content.decode()
    assert "the name you choose here" in page and 'name="guest_name"' in page


def test_a_facilitator_runs_the_session_without_joining_it(client):
    session = SessionFactory()
    user, _ = designer(session.agency)
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Join the session to use the controls" not in page
    assert 'data-live-action="phase"' in page
    response = client.post(
        reverse("codesign:act", args=[session.pk]),
        {"action": "phase", "to": "next", "version": session.version},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.phase == Phase.BRIEF
    assert not Participant.objects.filter(session=session).exists()


def _form_tag(page: str, live_action: str) -> str:
    start = page.index(f'data-live-action="{live_action}"')
    return page[page.rindex("<form", 0, start) : page.index(">", start) + 1]


def test_reveal_is_offered_only_while_some_note_is_concealed(client):
    session = SessionFactory(hide_notes=True, phase=Phase.DIVERGE)
    user, _persona = designer(session.agency)
    client.force_login(user)
    url = session.get_absolute_url()
    assert " hidden" in _form_tag(client.get(url).content.decode(), "reveal")  # no notes yet
    author, a_persona = person()
    writer = actions.participant_join(user=author, session=session, persona=a_persona)
    actions.note_add(participant=writer, session=session, text="Screens at stops")
    assert " hidden" not in _form_tag(client.get(url).content.decode(), "reveal")
    actions.notes_reveal(user=user, session=session, version=session.version)
    assert " hidden" in _form_tag(client.get(url).content.decode(), "reveal")


def test_every_board_form_is_drawn_by_the_server_whatever_the_phase(client):
    """session.js only shows and hides them: the group form, the note form and the outcome
    form exist in every phase for those who may use them (hidden when the phase is wrong),
    and an outcome not yet in the backlog has its "Add to the backlog" button."""
    session = SessionFactory(phase=Phase.DIVERGE)
    user, persona = designer(session.agency)
    actions.participant_join(user=user, session=session, persona=persona)
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    assert " hidden" not in _form_tag(page, "note_add")
    assert " hidden" in _form_tag(page, "group_add") and 'id="group-name"' in page
    assert " hidden" in _form_tag(page, "outcome_add")
    for phase in (Phase.CLUSTER, Phase.VOTE, Phase.DECIDE):
        session.refresh_from_db()
        actions.phase_set(user=user, session=session, phase=phase, version=session.version)
    session.refresh_from_db()
    actions.outcome_create(user=user, session=session, title="Screens at busy stops")
    page = client.get(session.get_absolute_url()).content.decode()
    assert " hidden" not in _form_tag(page, "outcome_add")
    assert " hidden" in _form_tag(page, "group_add") and " hidden" in _form_tag(page, "note_add")
    assert 'data-live-action="outcome_promote"' in page and "Add to the backlog" in page


def test_in_the_backlog_links_to_a_page_the_viewer_can_open(client):
    """A promoted outcome's item is a draft: its public roadmap page is a 404 until it is
    made public, so facilitators are linked to the backlog's own page and others see no link."""
    session = SessionFactory(phase=Phase.DECIDE)
    user, _persona = designer(session.agency)
    outcome = actions.outcome_create(user=user, session=session, title="Screens at stops")
    item = actions.outcome_promote(user=user, outcome=outcome)
    client.force_login(user)
    page = client.get(session.get_absolute_url()).content.decode()
    staff_url = reverse("backlog:item", args=[item.pk])
    assert f'href="{staff_url}"' in page and client.get(staff_url).status_code == 200
    client.force_login(person()[0])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "In the backlog" in page
    assert staff_url not in page and item.get_absolute_url() not in page
