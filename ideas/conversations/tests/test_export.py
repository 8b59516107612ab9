"""The Pol.is openData export: read back by the Pol.is reader with the same votes, anonymous
participant numbers, hidden statements left out; served by the API and in the bulk ZIP."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from community.tests.factories import PersonaFactory, UserFactory
from ideas.conversations.selectors import polis_export
from ideas.conversations.tests.factories import (
    ConversationFactory,
    StatementFactory,
    StatementVoteFactory,
)
from ideas.opinion.polis import read_polis

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted():
    conversation = ConversationFactory(title="Buses", question="What should change?")
    author = PersonaFactory()
    statements = [
        StatementFactory(conversation=conversation, persona=author, text=f"Statement {n}")
        for n in range(1, 5)
    ]
    hidden = StatementFactory(conversation=conversation, text="Rude", is_hidden=True)
    people = [UserFactory() for _ in range(6)]
    planted = {}
    for i, person in enumerate(people):
        for j, statement in enumerate(statements):
            if (i + j) % 3 == 2:
                continue  # not seen
            value = [1, -1, 0][(i * j) % 3]
            StatementVoteFactory(statement=statement, account=person, value=value)
            planted[(person.pk, statement.number)] = value
        StatementVoteFactory(statement=hidden, account=person, value=1)
    return conversation, people, author, planted


def test_the_export_round_trips_through_the_polis_reader_with_the_same_votes(voted):
    conversation, _people, _author, planted = voted
    files = polis_export(conversation)
    read = read_polis(files)
    number_of = {}
    for participant, statement, value in read.matrix.votes():
        number_of.setdefault(participant, set()).add((statement, value))
    # Participants are renumbered; the multiset of each person's votes is what must survive.
    expected = {}
    for (account, statement), value in planted.items():
        expected.setdefault(account, set()).add((statement, value))
    assert sorted(map(sorted, number_of.values())) == sorted(map(sorted, expected.values()))
    assert set(read.texts()) == {1, 2, 3, 4}, "the hidden statement is not exported"
    assert read.texts()[2] == "Statement 2"
    assert read.summary["topic"] == "Buses"


def test_participants_are_anonymous_numbers_and_no_author_is_tied_to_their_votes(voted):
    conversation, people, author, _planted = voted
    files = polis_export(conversation)
    read = read_polis(files)
    # Statements show their author's public name, so no author number ties a named person to
    # a row of votes: author-id and n-comments stay empty; only voters are numbered, 0, 1, 2…
    assert {s.author for s in read.statements.values()} == {None}
    assert sorted(set(read.matrix.participants.tolist())) == list(range(len(people)))
    rows = files["participants-votes.csv"].splitlines()[1:]
    assert rows and all(row.split(",")[2] == "" for row in rows)
    participants_csv = files["participants-votes.csv"]
    for person in [*people, author.account]:
        assert person.username not in participants_csv
        assert person.email not in participants_csv
    assert author.display_name not in files["comments.csv"]


def test_the_api_serves_each_polis_file_and_lists_the_links(client, voted):
    conversation, *_rest = voted
    listing = client.get("/api/v1/conversations/").json()
    row = next(r for r in listing["results"] if r["id"] == conversation.pk)
    assert row["statement_count"] == 4
    assert row["polis_export"]["comments"].endswith(
        f"/api/v1/conversations/{conversation.pk}/polis/comments.csv"
    )
    files = {}
    for name in ("comments", "participants-votes", "summary"):
        response = client.get(reverse("api:conversation-polis", args=[conversation.pk, name]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        files[f"{name}.csv"] = response.content.decode()
    assert files == polis_export(conversation, site_url=files and _site(files))


def _site(files: dict[str, str]) -> str:
    url = read_polis(files).summary["url"]
    return url[: url.index("/conversations/")]


def test_the_bulk_download_holds_each_conversation_in_polis_format(voted):
    from api.bulk import write_archive

    conversation, *_rest = voted
    buffer = io.BytesIO()
    write_archive(buffer)
    with zipfile.ZipFile(buffer) as archive:
        prefix = f"polis/{conversation.pk}/"
        files = {
            name[len(prefix) :]: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith(prefix)
        }
        assert "conversations.csv" in archive.namelist()
    assert set(files) == {"comments.csv", "participants-votes.csv", "summary.csv"}
    assert read_polis(files).matrix.votes() == read_polis(polis_export(conversation)).matrix.votes()
