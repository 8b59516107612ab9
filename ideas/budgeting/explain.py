"""Why each project won or lost, in words, from a budget's stored result.

The results page never recomputes: pb-core stores the engine's
:class:`~ideas.budgeting.engine.Result` as JSON (each project's *fate*: ``selected``,
``score``, ``reason``, ``remaining_before``, ``paid_by``, ``rank``), and this module turns one
fate into the sentence a resident reads ("Won with 412 votes", "Skipped: it costs €90,000 but
only €40,000 was left", under the Method of Equal Shares "Paid for by 212 voters, about €94
each"). Pure functions of plain data, so they are tested without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

EQUAL_SHARES = "equal-shares"
WON = {"won", "won-completion"}


def money(amount: int | float | None) -> str:
    """An amount in whole currency units with the page language's grouping (``€12,000``)."""
    if amount is None:
        return "—"
    symbol = getattr(settings, "BUDGETING_CURRENCY", "€")
    return f"{symbol}{number_format(round(amount), force_grouping=True)}"


def score_words(score: int | float, kind: str) -> str:
    """A project's score as the ballot kind counts it: votes, points, or ranking points."""
    n = round(score)
    if kind == "cumulative":
        return ngettext("%(n)s point", "%(n)s points", n) % {"n": number_format(n)}
    if kind == "ranked":
        return ngettext("%(n)s ranking point", "%(n)s ranking points", n) % {"n": number_format(n)}
    return ngettext("%(n)s vote", "%(n)s votes", n) % {"n": number_format(n)}


@dataclass(frozen=True)
class Explanation:
    """One project's fate for the page: did it win, the headline and the detail sentence."""

    selected: bool
    headline: str
    detail: str
    rank: int | None
    payers: int = 0


def _share(paid_by: Mapping[Any, float]) -> tuple[int, float]:
    payers = [amount for amount in paid_by.values() if amount > 0]
    return len(payers), (sum(payers) / len(payers) if payers else 0.0)


def explain(fate: Mapping[str, Any], *, cost: int | None, rule: str, kind: str) -> Explanation:
    """The sentence for one stored fate (see the module docstring for the fields)."""
    reason = str(fate.get("reason", ""))
    score = fate.get("score", 0) or 0
    left = fate.get("remaining_before")
    rank = fate.get("rank")
    count = score_words(score, kind)
    if reason in WON:
        payers, each = _share(fate.get("paid_by") or {})
        if rule == EQUAL_SHARES and payers:
            detail = ngettext(
                "Paid for by %(n)s voter with %(each)s.",
                "Paid for by %(n)s voters, about %(each)s each.",
                payers,
            ) % {"n": number_format(payers), "each": money(each)}
        else:
            detail = _("It cost %(cost)s; %(left)s was left when its turn came.") % {
                "cost": money(cost),
                "left": money(left),
            }
        if reason == "won-completion":
            headline = _("Won in the completion round with %(count)s") % {"count": count}
            detail = " ".join(
                [
                    detail,
                    _(
                        "The first count left money unspent, so every voter's share was raised "
                        "and the count run again; this project was funded then."
                    ),
                ]
            )
        else:
            headline = _("Won with %(count)s") % {"count": count}
        return Explanation(True, headline, detail, rank, payers)
    if reason == "skipped-no-longer-fits":
        headline = _("Skipped: it costs %(cost)s but only %(left)s was left") % {
            "cost": money(cost),
            "left": money(left),
        }
        detail = _("It had %(count)s; projects with more votes used the budget first.") % {
            "count": count
        }
    elif reason == "stopped":
        headline = _("Not funded: counting stopped before it")
        detail = _(
            "This budget stops at the first project that no longer fits; %(left)s was left "
            "then. It costs %(cost)s and had %(count)s."
        ) % {"cost": money(cost), "left": money(left), "count": count}
    elif reason == "too-expensive":
        headline = _("Not funded: it costs more than the whole budget")
        detail = _("It costs %(cost)s. It had %(count)s.") % {"cost": money(cost), "count": count}
    elif rule == EQUAL_SHARES:
        headline = _("Not funded: its supporters could not pay for it together")
        detail = _(
            "Under Equal Shares each voter has the same share of the budget; those who chose "
            "this project had spent theirs on other winners. It had %(count)s."
        ) % {"count": count}
    else:
        headline = _("Not funded: the budget ran out before its turn")
        detail = _("It had %(count)s.") % {"count": count}
    return Explanation(False, headline, detail, rank)
