"""Read a conversation in Pol.is openData's format (compdemocracy/openData).

Three CSV files:

* ``comments.csv``: ``timestamp, datetime, comment-id, author-id, agrees, disagrees,
  moderated, comment-body`` (``moderated``: 1 accepted, 0 not yet, -1 hidden);
* ``participants-votes.csv``: ``participant, group-id, n-comments, n-votes, n-agree,
  n-disagree`` then one column per comment id: 1 agree, -1 disagree, 0 pass, empty = not seen;
  ``group-id`` is the opinion group Pol.is assigned (empty when not clustered);
* ``summary.csv``: ``key,value`` rows (topic, url, voters, comments, groups, …).

:func:`read_polis` takes a directory or a mapping of file name → text (e.g. the members of
an export ZIP) so our own export can be read back the way other Pol.is tools read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ideas.opinion.engine import VoteMatrix

COMMENTS = "comments.csv"
PARTICIPANT_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"
PARTICIPANT_FIXED_COLUMNS = (
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)


class PolisFormatError(ValueError):
    """The files are not in Pol.is openData's format; the message says what is wrong."""


@dataclass(frozen=True)
class PolisStatement:
    id: int
    text: str
    author: int | None
    agrees: int
    disagrees: int
    moderated: int  # 1 accepted, 0 not yet moderated, -1 hidden


@dataclass(frozen=True)
class PolisConversation:
    matrix: VoteMatrix
    statements: dict[int, PolisStatement]
    groups: dict[int, int]  # participant → Pol.is group-id (clustered participants only)
    summary: dict[str, str] = field(default_factory=dict)

    @property
    def hidden(self) -> frozenset[int]:
        """Statements moderated out (Pol.is leaves them out of the math)."""
        return frozenset(s.id for s in self.statements.values() if s.moderated < 0)

    def texts(self) -> dict[int, str]:
        return {s.id: s.text for s in self.statements.values()}


def read_polis(source: Path | str | Mapping[str, str | bytes]) -> PolisConversation:
    """Read ``comments.csv``, ``participants-votes.csv`` and (if present) ``summary.csv``
    from a folder, or from a mapping of file name (any folder prefix) to its text or UTF-8
    bytes, such as a ZIP's members."""
    files = _files(source)
    for name in (COMMENTS, PARTICIPANT_VOTES):
        if name not in files:
            raise PolisFormatError(f"{name} is missing")
    statements = _read_comments(files[COMMENTS])
    matrix, groups = _read_participant_votes(files[PARTICIPANT_VOTES], statements)
    summary = _read_summary(files[SUMMARY]) if SUMMARY in files else {}
    return PolisConversation(matrix=matrix, statements=statements, groups=groups, summary=summary)


def _files(source: Path | str | Mapping[str, str | bytes]) -> dict[str, str]:
    if isinstance(source, Mapping):
        return {Path(name).name: _text(name, text) for name, text in source.items()}
    directory = Path(source)
    if not directory.is_dir():
        raise PolisFormatError(f"{directory} is not a directory")
    return {
        p.name: p.read_text(encoding="utf-8-sig")
        for p in directory.iterdir()
        if p.name in (COMMENTS, PARTICIPANT_VOTES, SUMMARY)
    }


def _text(name: str, content: str | bytes) -> str:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise PolisFormatError(f"{name} is not UTF-8 text") from None
    return content.removeprefix("\ufeff")


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PolisFormatError(f"{what}: {value!r} is not a whole number") from None


def _read_comments(text: str) -> dict[int, PolisStatement]:
    reader = csv.DictReader(io.StringIO(text))
    required = {"comment-id", "comment-body"}
    if not required <= set(reader.fieldnames or ()):
        raise PolisFormatError(f"{COMMENTS} needs the columns {', '.join(sorted(required))}")
    statements = {}
    for line, row in enumerate(reader, start=2):
        sid = _int(row["comment-id"], f"{COMMENTS} line {line} comment-id")
        author = row.get("author-id") or ""
        statements[sid] = PolisStatement(
            id=sid,
            text=row["comment-body"] or "",
            author=_int(author, f"{COMMENTS} line {line} author-id") if author else None,
            agrees=_int(row.get("agrees") or "0", f"{COMMENTS} line {line} agrees"),
            disagrees=_int(row.get("disagrees") or "0", f"{COMMENTS} line {line} disagrees"),
            moderated=_int(row.get("moderated") or "0", f"{COMMENTS} line {line} moderated"),
        )
    return statements


def _read_participant_votes(
    text: str, statements: Mapping[int, PolisStatement]
) -> tuple[VoteMatrix, dict[int, int]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header[:2]) != PARTICIPANT_FIXED_COLUMNS[:2]:
        raise PolisFormatError(f"{PARTICIPANT_VOTES} must start with participant,group-id")
    fixed = 0
    while fixed < len(header) and header[fixed] in PARTICIPANT_FIXED_COLUMNS:
        fixed += 1
    column_ids = np.array(
        [_int(h, f"{PARTICIPANT_VOTES} header") for h in header[fixed:]], dtype=np.int64
    )
    people, stmts, values = [], [], []
    groups: dict[int, int] = {}
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        participant = _int(row[0], f"{PARTICIPANT_VOTES} line {line} participant")
        if row[1].strip():
            groups[participant] = _int(row[1], f"{PARTICIPANT_VOTES} line {line} group-id")
        for j, cell in enumerate(row[fixed:]):
            if cell == "":
                continue
            value = _int(cell, f"{PARTICIPANT_VOTES} line {line}")
            if value not in (1, -1, 0):
                raise PolisFormatError(
                    f"{PARTICIPANT_VOTES} line {line}: vote {value} is not 1, -1 or 0"
                )
            if j >= len(column_ids):
                raise PolisFormatError(f"{PARTICIPANT_VOTES} line {line} has too many columns")
            people.append(participant)
            stmts.append(column_ids[j])
            values.append(value)
    matrix = VoteMatrix.from_arrays(
        np.array(people, dtype=np.int64),
        np.array(stmts, dtype=np.int64),
        np.array(values, dtype=np.int8),
        statements=np.array(sorted(set(column_ids.tolist()) | set(statements)), dtype=np.int64),
    )
    return matrix, groups


def _read_summary(text: str) -> dict[str, str]:
    return {row[0]: row[1] if len(row) > 1 else "" for row in csv.reader(io.StringIO(text)) if row}
