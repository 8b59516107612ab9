"""session-summaries/: open co-design sessions, what they publish and what they never do."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils.http import http_date

from api import bulk
from ideas.codesign.models import Note, NoteGroup, Outcome, Phase
from ideas.codesign.tests.factories import ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/session-summaries/"
NEVER = (
    "Hidden note text",
    "Held note text",
    "Concealed note text",
    "Invited only workshop",
    "Invited note text",
    "Session Sam",
    "session-sam",
    "Guest Gwen",
)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def row_of(api, session) -> dict:
    response = api.get(f"{URL}{session.pk}/")
    assert response.status_code == 200
    return response.json()


def test_open_finished_session_shows_its_board_without_who_wrote_what(api, world):
    row = row_of(api, world.session)
    assert row["title"] == "Bus stop workshop"
    assert row["agency"] == "transport"
    assert row["challenge"] == world.challenge.pk
    assert row["phase"] == "summary" and row["finished"] is True
    assert row["ended_at"] and row["notes_concealed"] is False
    assert [p["text"] for p in row["prompts"]] == ["What works?", "What gets in the way?"]
    first = row["notes"][0]
    assert first == {
        "id": first["id"],
        "text": "A roof at every stop",
        "prompt": row["prompts"][0]["id"],
        "group": row["groups"][0]["id"],
        "colour": "blue",
    }
    assert [n["text"] for n in row["notes"]] == ["A roof at every stop", "Benches too"]
    assert [(g["name"], g["votes"]) for g in row["groups"]] == [("Shelter", 2), ("Timetables", 0)]
    assert row["participant_count"] == 2
    assert row["web_url"].endswith(world.session.get_absolute_url())


def test_invited_session_is_not_listed_and_its_detail_is_not_found(api, world):
    listed = ids(api.get(URL))
    assert world.invited_session.pk not in listed
    assert sorted(listed) == sorted([world.session.pk, world.live_session.pk])
    assert api.get(f"{URL}{world.invited_session.pk}/").status_code == 404


def test_unfinished_open_session_is_listed_with_its_phase_and_concealed_notes_have_no_text(
    api, world
):
    row = row_of(api, world.live_session)
    assert row["phase"] == "diverge" and row["finished"] is False and row["ended_at"] is None
    assert row["notes_concealed"] is True
    assert row["notes"] == []
    assert row["participant_count"] == 1


def test_notes_appear_once_the_facilitator_reveals_them(api, world):
    type(world.live_session).objects.filter(pk=world.live_session.pk).update(revealed=True)
    row = row_of(api, world.live_session)
    assert row["notes_concealed"] is False
    assert [n["text"] for n in row["notes"]] == ["Concealed note text"]


def test_hidden_held_concealed_and_invited_text_and_participants_never_appear(api, world):
    bodies = [
        api.get(URL).content.decode(),
        *(api.get(f"{URL}{s.pk}/").content.decode() for s in (world.session, world.live_session)),
    ]
    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    with zipfile.ZipFile(buffer) as archive:
        names = [n for n in archive.namelist() if n.startswith("session_summaries")]
        assert sorted(names) == ["session_summaries.csv", "session_summaries.json"]
        bodies += [archive.read(n).decode() for n in names]
        assert "Bus stop workshop" in bodies[-1]
    for body in bodies:
        assert "Benches too" in body or "Live workshop" in body
        for text in NEVER:
            assert text not in body


def test_outcome_names_its_backlog_item_only_while_that_item_is_public(api, world):
    outcomes = {o["title"]: o for o in row_of(api, world.session)["outcomes"]}
    assert outcomes["Roofs first"]["backlog_item"] == world.item.pk
    assert outcomes["Ask drivers"]["backlog_item"] is None
    assert outcomes["Roofs first"]["group"] == world.public_outcome.group_id
    type(world.internal_item).objects.filter(pk=world.internal_item.pk).update(is_public=True)
    outcomes = {o["title"]: o for o in row_of(api, world.session)["outcomes"]}
    assert outcomes["Ask drivers"]["backlog_item"] == world.internal_item.pk


def test_outcome_lists_only_public_source_ideas(api, world):
    outcomes = {o["title"]: o for o in row_of(api, world.session)["outcomes"]}
    # The group's notes came from the public idea and from a held one: only the first shows.
    assert outcomes["Roofs first"]["ideas"] == [world.idea.pk]
    assert outcomes["Ask drivers"]["ideas"] == []


def test_unpublished_challenge_is_neither_shown_nor_found_by_filter(api, world):
    type(world.challenge).objects.filter(pk=world.challenge.pk).update(is_published=False)
    assert row_of(api, world.session)["challenge"] is None
    assert ids(api.get(URL, {"challenge": world.challenge.pk})) == []


def test_filters_by_agency_challenge_phase_and_start_time(api, world):
    other = SessionFactory(title="Elsewhere", phase=Phase.VOTE)
    assert sorted(ids(api.get(URL, {"agency": "transport"}))) == sorted(
        [world.session.pk, world.live_session.pk]
    )
    assert ids(api.get(URL, {"agency": other.agency.slug})) == [other.pk]
    assert ids(api.get(URL, {"challenge": world.challenge.pk})) == [world.session.pk]
    assert ids(api.get(URL, {"phase": "summary"})) == [world.session.pk]
    assert ids(api.get(URL, {"phase": "vote"})) == [other.pk]
    before = world.session.scheduled_at.isoformat()
    assert world.session.pk not in ids(api.get(URL, {"scheduled_after": before[:10] + "T23:59"}))


def test_orders_by_start_time(api, world):
    assert ids(api.get(URL, {"ordering": "scheduled_at"}))[0] == world.session.pk
    assert ids(api.get(URL, {"ordering": "-scheduled_at"}))[-1] == world.session.pk


@pytest.mark.parametrize(
    "query",
    [
        {"phase": "finished"},
        {"challenge": "abc"},
        {"challenge": "0"},
        {"agency": "x" * 81},
        {"scheduled_after": "yesterday"},
        {"ordering": "title"},
        {"participant": "session-sam"},
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(api, world, query):
    response = api.get(URL, query)
    assert response.status_code == 400
    assert set(query) <= set(response.json()["fields"])


def test_list_has_etag_and_last_modified_of_the_newest_activity(api, world):
    first = api.get(URL)
    assert first["ETag"]
    newest = max(
        Note.objects.filter(session__in=[world.session, world.live_session]).values_list(
            "created_at", flat=True
        )
    )
    assert first["Last-Modified"] == http_date(newest.timestamp())
    assert api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def _busy_session(agency, n: int):
    session = SessionFactory(agency=agency, phase=Phase.SUMMARY)
    person = ParticipantFactory(session=session)
    group = NoteGroup.objects.create(session=session, name=f"Group {n}")
    Note.objects.create(session=session, author=person, group=group, text=f"Note {n}")
    Outcome.objects.create(session=session, group=group, title=f"Outcome {n}")
    return session


def test_list_reads_a_constant_number_of_queries(api, world, django_assert_num_queries):
    with django_assert_num_queries(5):
        assert len(ids(api.get(URL))) == 2
    for n in range(6):
        _busy_session(world.agency, n)
    with django_assert_num_queries(5):
        assert len(ids(api.get(URL))) == 8


def test_dataset_rows_match_the_api(api, world):
    from api.views import SessionSummaryViewSet

    rows = {row["id"]: row for row in SessionSummaryViewSet.dataset_rows()}
    assert set(rows) == {world.session.pk, world.live_session.pk}
    assert json.loads(json.dumps(rows[world.session.pk], default=str)) == json.loads(
        json.dumps(row_of(api, world.session), default=str)
    )
