"""The Pol.is openData reader reads real exports (from a folder or from file texts) into
votes, statement texts and Pol.is's own groups, and says clearly what is wrong otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from ideas.opinion.polis import PolisFormatError, read_polis

FRESHWATER = Path(__file__).resolve().parent / "data" / "scoop-hivemind.freshwater"

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    '1,x,10,1,1,1,1,"Buses, every 10 minutes"\n'
    "2,x,11,2,0,1,-1,Hidden one\n"
    "3,x,12,2,0,0,0,Nobody voted\n"
)
VOTES = (
    "participant,group-id,n-comments,n-votes,n-agree,n-disagree,10,11,12\n"
    "0,0,1,2,1,0,1,0,\n"
    "1,,1,2,0,2,-1,-1,\n"
    "2,1,0,0,0,0,,,\n"
)


def test_reads_a_real_export_folder():
    conv = read_polis(FRESHWATER)

    assert conv.summary["voters"] == "117"
    assert len(conv.statements) == 80
    assert conv.matrix.shape == (117, 80)
    assert len(conv.groups) == 117 and set(conv.groups.values()) == {0, 1}
    # comments.csv's own totals (taken a little later than the vote table: 6 statements
    # there have one more agree) match the votes read from participants-votes.csv.
    agrees = sum(value == 1 for _p, _s, value in conv.matrix.votes())
    disagrees = sum(value == -1 for _p, _s, value in conv.matrix.votes())
    listed_agrees = sum(s.agrees for s in conv.statements.values())
    listed_disagrees = sum(s.disagrees for s in conv.statements.values())
    assert listed_agrees - 6 == agrees
    assert listed_disagrees == disagrees


def test_reads_file_texts_with_quoted_commas_unseen_cells_and_empty_groups():
    conv = read_polis({"export/comments.csv": COMMENTS, "export/participants-votes.csv": VOTES})

    assert conv.texts()[10] == "Buses, every 10 minutes"
    assert conv.hidden == frozenset({11})
    assert sorted(conv.matrix.votes()) == [(0, 10, 1), (0, 11, 0), (1, 10, -1), (1, 11, -1)]
    assert list(conv.matrix.statements) == [10, 11, 12]
    assert conv.groups == {0: 0, 2: 1}
    assert conv.summary == {}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"comments.csv": COMMENTS}, "participants-votes.csv is missing"),
        ({"comments.csv": "id,text\n1,x\n", "participants-votes.csv": VOTES}, "columns"),
        ({"comments.csv": COMMENTS, "participants-votes.csv": "who,what\n"}, "must start"),
        (
            {"comments.csv": COMMENTS, "participants-votes.csv": VOTES.replace("0,1,0,", "0,2,0,")},
            "vote 2 is not 1, -1 or 0",
        ),
        (
            {"comments.csv": COMMENTS, "participants-votes.csv": VOTES.replace(",12\n", ",x\n")},
            "not a whole number",
        ),
    ],
    ids=["missing-file", "bad-comments", "bad-header", "bad-vote", "bad-column"],
)
def test_malformed_exports_are_refused_with_a_clear_message(files, message):
    with pytest.raises(PolisFormatError, match=message):
        read_polis(files)


def test_a_path_that_is_not_a_folder_is_refused(tmp_path):
    with pytest.raises(PolisFormatError, match="not a directory"):
        read_polis(tmp_path / "nothing-here")


def test_reads_utf8_bytes_such_as_zip_members_and_refuses_other_encodings():
    conv = read_polis(
        {
            "comments.csv": "\ufeff".encode() + COMMENTS.replace("Buses", "Autobuses ñ").encode(),
            "participants-votes.csv": VOTES.encode(),
        }
    )
    assert conv.texts()[10] == "Autobuses ñ, every 10 minutes"

    with pytest.raises(PolisFormatError, match=r"comments\.csv is not UTF-8"):
        read_polis({"comments.csv": "ñ".encode("latin-1"), "participants-votes.csv": VOTES})
