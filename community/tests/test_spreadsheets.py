"""Every spreadsheet export writes cells that no spreadsheet runs as a formula."""

import csv
import io

import pytest

from community import spreadsheets


def _row(values):
    out = io.StringIO()
    spreadsheets.writer(out).writerow(values)
    return next(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize(
    "text", ["=1+1", "+44 7700 900000", "-x", "@SUM(A1)", "\tnote", "\rnote", "|cmd", "%x"]
)
def test_text_a_spreadsheet_would_run_is_written_as_text(text):
    (written,) = _row([text])
    assert written.startswith("'")
    assert written.lstrip("'").replace("\\|", "|") == text


def test_numbers_plain_text_lists_and_empty_cells_are_kept():
    assert _row([3, -2.5, "-5", "plain", None, ["a", "b"], {"k": 1}]) == [
        "3",
        "-2.5",
        "-5",
        "plain",
        "",
        '["a", "b"]',
        '{"k": 1}',
    ]


def test_no_export_writes_csv_without_the_spreadsheet_writer():
    """One place decides how spreadsheet cells are written. Open data is data for programs
    and stays literal: the bulk ZIP and the Pol.is openData files of a conversation."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    literal = {
        root / "community" / "spreadsheets.py",
        root / "api" / "bulk.py",
        root / "ideas" / "conversations" / "selectors.py",  # polis_export: Pol.is openData
        root / "ideas" / "budgeting" / "engine" / "pabulib.py",  # pabulib .pb files
    }
    for app in ("community", "ideas", "cms", "api"):
        for path in (root / app).rglob("*.py"):
            if "tests" in path.parts or path in literal:
                continue
            assert "csv.writer(" not in path.read_text(), path
