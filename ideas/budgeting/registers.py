"""Reading a resident register (CSV) into what eligibility needs, and nothing else.

The file has a header row. Columns: every field the process matches on
(``BudgetProcess.register_fields``, e.g. ``document_number,postcode``), then optionally
``birth_year`` (or ``birth_date`` as ``YYYY-MM-DD``; required when the process has a minimum
age) and ``district`` (a district's slug or name; empty for none). Other columns are ignored.
Every bad line is reported with its line number, and a file with any bad line imports
nothing (``actions.register_import``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ideas.budgeting.eligibility import normalise, register_key
from ideas.budgeting.models import BudgetProcess

REGISTER_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_ROWS = 2_000_000
MAX_ERRORS = 50
_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}$")


@dataclass
class RegisterRow:
    line: int
    key: str
    birth_year: int | None
    district_id: int | None


@dataclass
class ParsedRegister:
    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    more_errors: int = 0

    def add_error(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more_errors += 1


def _birth_year(row: dict[str, str], this_year: int) -> int | str | None:
    """The birth year, None if not given, or an error message."""
    raw = (row.get("birth_year") or "").strip()
    if not raw:
        date = (row.get("birth_date") or "").strip()
        if not date:
            return None
        match = _DATE.match(date)
        if not match:
            return _("birth_date “%(value)s” is not a date like 1990-04-25") % {"value": date[:20]}
        raw = match.group(1)
    if not raw.isdigit() or not 1880 <= int(raw) <= this_year:
        return _("birth_year “%(value)s” is not a year") % {"value": raw[:20]}
    return int(raw)


def parse_register(
    process: BudgetProcess, text: str, districts: dict[str, int], this_year: int
) -> ParsedRegister:
    """Rows of ``text`` as keys; ``districts`` maps normalised slugs and names to ids."""
    parsed = ParsedRegister()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in process.register_fields if name not in header]
    if missing:
        parsed.add_error(
            _("Line 1: the header has no column %(names)s (it needs %(wanted)s).")
            % {"names": ", ".join(missing), "wanted": ", ".join(process.register_fields)}
        )
        return parsed
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if len(parsed.rows) >= MAX_ROWS:
            parsed.add_error(_("The register has more than %(n)d rows.") % {"n": MAX_ROWS})
            break
        if None in row:
            parsed.add_error(_("Line %(line)d: more cells than the header has.") % {"line": line})
            continue
        values = {k: (v or "") for k, v in row.items() if k}
        if not any(v.strip() for v in values.values()):
            continue  # a blank line
        problems: list[str] = []
        for name in process.register_fields:
            if not normalise(values.get(name, "")):
                problems.append(_("%(field)s is empty") % {"field": name})
        year = _birth_year(values, this_year)
        if isinstance(year, str):
            problems.append(year)
            year = None
        elif year is None and process.min_age is not None:
            problems.append(_("birth_year is needed (this budget has a minimum age)"))
        district_id: int | None = None
        district = (values.get("district") or "").strip()
        if district:
            district_id = districts.get(normalise(district))
            if district_id is None:
                problems.append(_("no district “%(name)s”") % {"name": district[:60]})
        if problems:
            parsed.add_error(
                _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        key = register_key(process, values)
        if key in seen:
            parsed.add_error(
                _("Line %(line)d: the same resident as line %(first)d.")
                % {"line": line, "first": seen[key]}
            )
            continue
        seen[key] = line
        parsed.rows.append(
            RegisterRow(line=line, key=key, birth_year=year, district_id=district_id)
        )
    if not parsed.rows and not parsed.errors:
        parsed.add_error(_("The register has no residents in it."))
    return parsed
