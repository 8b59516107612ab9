"""CSV for people: every export a person may open in a spreadsheet is written here.

A cell that starts with ``=``, ``+``, ``-``, ``@``, ``|`` or ``%`` can run as a formula in
Excel, LibreOffice or Google Sheets (CSV injection). defusedcsv, a maintained drop-in for the
``csv`` module, prefixes such text with a quote and leaves numbers alone; tab and carriage
return, which OWASP lists as well and defusedcsv does not, are prefixed here. Lists and
objects become JSON, ``None`` an empty cell.

The open-data downloads (api/bulk.py) are data for programs, not spreadsheets: they stay
literal and do not use this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from defusedcsv import csv as defused
from django.core.serializers.json import DjangoJSONEncoder

_CONTROL_START = ("\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as a cell a spreadsheet shows as text (defusedcsv does the formula prefixes)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_CONTROL_START):
        return "'" + value
    return value


class SpreadsheetWriter:
    """``csv.writer`` whose every cell goes through :func:`cell` and defusedcsv."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = defused.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: IO[str]) -> SpreadsheetWriter:
    return SpreadsheetWriter(out)
