"""Small-number suppression for counts of people.

* **Primary**: a count from 1 to ``MIN_CELL - 1`` (default 1-4) is never shown; the cell says
  "fewer than 5". Zero is shown: it describes nobody.
* **Secondary** (against differencing): when a breakdown's total is published and exactly one
  cell was suppressed, the smallest other non-zero cell is hidden too, so the hidden one
  cannot be worked out as total minus the rest.

Windows are fixed (today, this week, the last ``SEGMENT_DAYS`` days) rather than chosen by the
viewer, which limits differencing across overlapping ranges; it does not remove it entirely
(a 90-day window moves by a day each day) — see docs/architecture.md, "Insight".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ideas.insight.conf import setting


@dataclass(frozen=True)
class Cell:
    value: int
    shown: bool
    secondary: bool = False

    @property
    def display(self) -> str:
        if self.shown:
            return str(self.value)
        if self.secondary:
            return _("not shown")
        return _("fewer than %(n)d") % {"n": setting("MIN_CELL")}

    def __str__(self) -> str:
        return self.display


def suppress(values: list[int]) -> list[Cell]:
    """Cells for ``values`` (one breakdown whose total is shown), suppressed as above."""
    minimum = setting("MIN_CELL")
    cells = [Cell(v, shown=not (0 < v < minimum)) for v in values]
    hidden = [i for i, c in enumerate(cells) if not c.shown]
    if len(hidden) == 1:
        others = [i for i, c in enumerate(cells) if c.shown and c.value > 0]
        if others:
            j = min(others, key=lambda i: (cells[i].value, i))
            cells[j] = Cell(cells[j].value, shown=False, secondary=True)
    return cells
